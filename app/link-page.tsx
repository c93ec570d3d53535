import "server-only";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { JoinForm } from "@/components/auth/join-form";
import { lookUpInvitation } from "@/lib/dashboard/invitations";
import { passwordResetAvailable } from "@/lib/dashboard/password-resets";

const linkClass = "font-medium text-indigo-700 underline dark:text-indigo-300";

/** An invitation link (`/invite/<token>`) or a password-reset link (`/reset-password/<token>`). */
export async function LinkPage({ token }: { token: string }) {
  const invitation = await lookUpInvitation(token);
  if (invitation.state === "valid" && invitation.purpose === "invite") {
    return (
      <AuthCard
        title={`Join ${invitation.accountName}`}
        intro={
          <p>
            You are invited to {invitation.accountName} on Keydesk
            {invitation.email ? ` as ${invitation.email}` : ""}. Choose a password to join.
          </p>
        }
      >
        {/* The form reads the token from the address bar; only the name the admin entered comes from here. */}
        <JoinForm name={invitation.name} purpose="invite" />
      </AuthCard>
    );
  }
  if (invitation.state === "valid") {
    return (
      <AuthCard
        title="Choose a new password"
        intro={
          <p>
            For {invitation.email || invitation.name} at {invitation.accountName}.
          </p>
        }
      >
        <JoinForm name={invitation.name} purpose="reset" />
      </AuthCard>
    );
  }
  if (invitation.state === "unavailable") {
    return (
      <AuthCard
        title="The link could not be checked"
        intro={<p>Keydesk could not be reached. Reload the page to try again.</p>}
      />
    );
  }
  const forgot = await passwordResetAvailable();
  return (
    <AuthCard
      title="This link no longer works"
      intro={
        <>
          <p>
            It has expired (invitation links last 7 days, reset links 30 minutes), has been used, or a newer
            one replaced it.
          </p>
          <p>
            Ask the account admin who invited you to send a new one: <strong>Resend invitation</strong> (or{" "}
            <strong>Reset password</strong>) on Keydesk&apos;s Members page.
          </p>
          {forgot ? (
            <p>
              A reset link you asked for yourself?{" "}
              <Link className={linkClass} href="/forgot-password">
                Ask for a new one
              </Link>
              .
            </p>
          ) : null}
          <p>
            Already joined?{" "}
            <Link className={linkClass} href="/login">
              Sign in
            </Link>
            .
          </p>
        </>
      }
    />
  );
}
