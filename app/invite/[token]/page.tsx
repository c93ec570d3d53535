import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { JoinForm } from "@/components/auth/join-form";
import { lookUpInvitation } from "@/lib/dashboard/invitations";

export const metadata: Metadata = { title: "Join" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const invitation = await lookUpInvitation((await params).token);
  if (invitation.state === "valid") {
    return (
      <AuthCard
        title={`Join ${invitation.accountName}`}
        intro={
          <p>
            {invitation.invitedBy ? `${invitation.invitedBy} invited you` : "You are invited"} to{" "}
            {invitation.accountName} on Keydesk{invitation.email ? ` as ${invitation.email}` : ""}. Choose a
            password to join.
          </p>
        }
      >
        {/* The form reads the token from the address bar; only the name the admin entered comes from here. */}
        <JoinForm name={invitation.name} />
      </AuthCard>
    );
  }
  const ask =
    "invitedBy" in invitation && invitation.invitedBy
      ? `Ask ${invitation.invitedBy} for a new invitation.`
      : "Ask an admin of your Keydesk account for a new invitation.";
  const title =
    invitation.state === "expired"
      ? "This invitation has expired"
      : invitation.state === "used"
        ? "This invitation has been used"
        : invitation.state === "unavailable"
          ? "The invitation could not be checked"
          : "This invitation link is not valid";
  return (
    <AuthCard
      title={title}
      intro={
        <>
          {invitation.state === "expired" ? <p>Invitation links work for 7 days, once.</p> : null}
          {invitation.state === "used" ? (
            <p>
              Each link works once. If you joined with it,{" "}
              <Link className="font-medium text-indigo-700 underline dark:text-indigo-300" href="/login">
                sign in
              </Link>
              .
            </p>
          ) : null}
          {invitation.state === "unavailable" ? (
            <p>Keydesk could not be reached. Reload the page to try again.</p>
          ) : (
            <p>{ask}</p>
          )}
        </>
      }
    />
  );
}
