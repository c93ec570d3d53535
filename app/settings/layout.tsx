import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { Providers } from "@/app/providers";
import { SettingsNav } from "@/components/settings/settings-nav";
import { Button } from "@/components/ui/button";
import { getViewer } from "@/lib/dashboard/viewer";
import { mayOpenAuditLog } from "@/lib/roles/audit-log";

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const viewer = await getViewer();
  // The proxy sends signed-out visitors to /login with the page they asked for; this is the backstop.
  if (!viewer) redirect("/login");
  return (
    <div className="min-h-screen bg-slate-50 dark:bg-slate-950">
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-7xl items-center justify-between gap-4 px-4 py-3 2xl:max-w-[96rem]">
          <Link href="/settings/api-keys" className="font-semibold text-slate-900 dark:text-white">
            Keydesk
          </Link>
          <div className="flex items-center gap-3 text-sm">
            {/* A plain page outside the dashboard (app/docs/api/route.ts): a full load, not a client navigation. */}
            <a
              href="/docs/api"
              className="rounded-sm text-slate-700 underline-offset-4 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:text-slate-300"
            >
              API reference
            </a>
            <span className="text-slate-700 dark:text-slate-300" data-testid="viewer-name">
              {viewer.user.name}
            </span>
            {/* A plain form post: signing out works without JavaScript (app/sign-out/route.ts). */}
            <form action="/sign-out" method="post">
              <Button type="submit" variant="ghost">
                Sign out
              </Button>
            </form>
          </div>
        </div>
      </header>
      <div className="mx-auto flex max-w-7xl flex-col gap-6 px-4 py-6 2xl:max-w-[96rem] 2xl:flex-row">
        <SettingsNav accountAdmin={mayOpenAuditLog(viewer)} />
        <main className="min-w-0 flex-1">
          <Providers>{children}</Providers>
        </main>
      </div>
    </div>
  );
}
