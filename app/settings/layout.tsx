import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { Providers } from "@/app/providers";
import { Button } from "@/components/ui/button";
import { signOutAction } from "@/lib/dashboard/actions/auth";
import { getViewer } from "@/lib/dashboard/viewer";

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const viewer = await getViewer();
  if (!viewer) redirect("/login?next=/settings/api-keys");
  return (
    <div className="min-h-screen bg-slate-50 dark:bg-slate-950">
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-7xl items-center justify-between gap-4 px-4 py-3 2xl:max-w-[96rem]">
          <Link href="/settings/api-keys" className="font-semibold text-slate-900 dark:text-white">
            Keydesk
          </Link>
          <div className="flex items-center gap-3 text-sm">
            <span className="text-slate-700 dark:text-slate-300" data-testid="viewer-name">
              {viewer.user.name}
            </span>
            <form action={signOutAction}>
              <Button type="submit" variant="ghost">
                Sign out
              </Button>
            </form>
          </div>
        </div>
      </header>
      <div className="mx-auto flex max-w-7xl flex-col gap-6 px-4 py-6 2xl:max-w-[96rem] 2xl:flex-row">
        {/* Beside the page only on very wide screens; above it otherwise, so the tables keep the width. */}
        <nav aria-label="Settings" className="flex items-center gap-3 2xl:block 2xl:w-44 2xl:shrink-0">
          <p className="px-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Settings</p>
          <ul className="flex gap-1 2xl:mt-2 2xl:block 2xl:space-y-1">
            <li>
              <Link
                href="/settings/api-keys"
                aria-current="page"
                className="block rounded-md bg-white px-2 py-1.5 text-sm font-medium text-indigo-700 shadow-sm ring-1 ring-slate-200 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:bg-slate-900 dark:text-indigo-300 dark:ring-slate-800"
              >
                API Keys
              </Link>
            </li>
          </ul>
        </nav>
        <main className="min-w-0 flex-1">
          <Providers>{children}</Providers>
        </main>
      </div>
    </div>
  );
}
