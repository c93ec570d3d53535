import Link from "next/link";
import { redirect } from "next/navigation";
import { getViewer } from "@/lib/dashboard/viewer";

/** The front door: a signed-in viewer goes straight to the dashboard; anyone else is offered Sign in. */
export default async function HomePage() {
  if (await getViewer()) redirect("/settings/api-keys");
  return (
    <main className="mx-auto flex min-h-screen max-w-xl flex-col justify-center gap-6 px-6">
      <h1 className="text-3xl font-semibold tracking-tight">Keydesk</h1>
      <p className="text-slate-600 dark:text-slate-300">
        API keys for people and services: user keys that act as you, and service keys scoped to one space.
      </p>
      <p>
        <Link
          href="/login"
          className="inline-flex rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-900 dark:bg-white dark:text-slate-900"
        >
          Sign in
        </Link>
      </p>
    </main>
  );
}
