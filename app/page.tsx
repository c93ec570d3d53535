import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { buttonClass } from "@/components/ui/button";
import { setupState } from "@/lib/dashboard/setup";
import { getViewer } from "@/lib/dashboard/viewer";

/**
 * The front door: a signed-in viewer goes straight to the dashboard; on an empty deployment it says
 * where the setup link is; anyone else is offered Sign in.
 */
export default async function HomePage() {
  if (await getViewer()) redirect("/settings/api-keys");
  if ((await setupState()) === "needed") {
    // An empty deployment: the only way in is the one-time setup link the server printed at start.
    return (
      <AuthCard
        title="Set up Keydesk"
        intro={
          <>
            <p>This Keydesk has no account yet. The first admin creates it.</p>
            <p>
              Open the setup link printed in the server log: the line that starts with{" "}
              <code className="rounded bg-slate-100 px-1 py-0.5 text-xs dark:bg-slate-800">
                Set up Keydesk:
              </code>
              . The link works once, until the server restarts; a restart prints a new one.
            </p>
            <p>
              For automation,{" "}
              <code className="rounded bg-slate-100 px-1 py-0.5 text-xs dark:bg-slate-800">
                npm run admin -- create-admin
              </code>{" "}
              creates the first admin from the command line.
            </p>
          </>
        }
      />
    );
  }
  return (
    <main className="mx-auto flex min-h-screen max-w-xl flex-col justify-center gap-6 px-6">
      <h1 className="text-3xl font-semibold tracking-tight">Keydesk</h1>
      <p className="text-slate-600 dark:text-slate-300">
        API keys for people and services: user keys that act as you, and service keys scoped to one space.
      </p>
      <p>
        <Link href="/login" className={buttonClass("primary")}>
          Sign in
        </Link>
      </p>
    </main>
  );
}
