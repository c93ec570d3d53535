import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { buttonClass } from "@/components/ui/button";

export const metadata: Metadata = { title: "ax CLI sign-in" };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * Where the ax CLI's loopback listener sends the browser once it has the answer
 * (ax/auth/oauth_flow.py): `?status=success`, or `?status=error&reason=…` (shown as text).
 */
export default async function CliCallbackPage({
  searchParams,
}: {
  searchParams: Promise<{ status?: string | string[]; reason?: string | string[] }>;
}) {
  const query = await searchParams;
  if (first(query.status) === "success") {
    return (
      <AuthCard
        title="You are signed in to the ax CLI"
        intro={<p>You are signed in to the ax CLI. You can close this tab.</p>}
      />
    );
  }
  const reason = first(query.reason)?.slice(0, 500);
  return (
    <AuthCard
      title="The ax CLI could not sign in"
      intro={
        <>
          <p>{reason ? `Reason: ${reason}` : "The sign-in did not finish."}</p>
          <p>Run ax auth login again to start over.</p>
        </>
      }
    >
      <p className="mt-6">
        <Link href="/settings/api-keys" className={buttonClass("secondary")}>
          Back to Keydesk
        </Link>
      </p>
    </AuthCard>
  );
}
