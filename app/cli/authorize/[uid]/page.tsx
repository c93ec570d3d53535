import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { CliApproval } from "@/components/cli-sign-in/cli-approval";
import { getCliSignInAction } from "@/lib/dashboard/actions/cli-sign-in";
import { getViewer } from "@/lib/dashboard/viewer";

export const metadata: Metadata = { title: "Approve the ax CLI" };

/** Where the authorization server sends the browser during `ax auth login` (lib/auth/oauth/provider.ts). */
export default async function CliAuthorizePage({ params }: { params: Promise<{ uid: string }> }) {
  const { uid } = await params;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(uid))
    redirect("/auth/cli/callback?status=error&reason=Unknown+sign-in+request.");
  const viewer = await getViewer();
  if (!viewer) redirect(`/login?next=${encodeURIComponent(`/cli/authorize/${uid}`)}`);
  const request = await getCliSignInAction({ uid });
  if (!request.ok) {
    return (
      <AuthCard
        title="This sign-in cannot be approved"
        intro={
          <p>
            {request.error.code === "not_found"
              ? "It has expired, or it was started in another browser. Run ax auth login again and approve it in the browser it opens."
              : request.error.message}
          </p>
        }
      />
    );
  }
  const { user } = viewer;
  return (
    <AuthCard
      title={`Approve ${request.data.client_name} on this computer?`}
      intro={
        <>
          <p>
            Signed in as <strong className="text-slate-900 dark:text-white">{user.name}</strong>
            {user.email ? ` (${user.email})` : ""}.
          </p>
          <p>
            The {request.data.client_name} will act as you, with all your access, like a user key: it can see
            and change what you can. It stays signed in until you run <code>ax auth logout</code> or revoke it
            under Settings → Signed-in apps.
          </p>
          <p>Approve only if you just ran ax auth login yourself.</p>
        </>
      }
    >
      <CliApproval uid={uid} />
    </AuthCard>
  );
}
