"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

const SETTINGS_PAGES = [
  { href: "/settings/api-keys", label: "API Keys", section: ["/settings/api-keys"] },
  { href: "/settings/members", label: "Members", section: ["/settings/members"] },
  { href: "/settings/key-policy", label: "Key policy", section: ["/settings/key-policy"] },
  {
    href: "/settings/spaces",
    label: "Organizations & Spaces",
    // A space's or an organization's own page belongs to this section.
    section: ["/settings/spaces", "/settings/organizations"],
  },
  { href: "/settings/webhooks", label: "Webhooks", section: ["/settings/webhooks"] },
  { href: "/settings/signed-in-apps", label: "Signed-in apps", section: ["/settings/signed-in-apps"] },
  // Account admins only (lib/roles/audit-log.ts): others are not shown it.
  { href: "/settings/audit-log", label: "Audit log", section: ["/settings/audit-log"], adminOnly: true },
  // Account admins only (lib/roles/backup.ts).
  { href: "/settings/backup", label: "Backup", section: ["/settings/backup"], adminOnly: true },
] as const;

/** Which settings page a path belongs to (its href), or null. */
export function currentSettingsPage(pathname: string): string | null {
  const page = SETTINGS_PAGES.find((p) =>
    p.section.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`)),
  );
  return page?.href ?? null;
}

/**
 * The Settings navigation, the current page marked with aria-current: above the page (a row of links
 * that wraps at 390 px), beside it only on very wide screens, so the tables keep their width.
 */
export function SettingsNav({ accountAdmin = false }: { accountAdmin?: boolean }) {
  const pathname = usePathname();
  const current = currentSettingsPage(pathname);
  return (
    <nav
      aria-label="Settings"
      className="flex flex-wrap items-center gap-x-3 gap-y-1 2xl:block 2xl:w-48 2xl:shrink-0"
    >
      <p className="px-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Settings</p>
      <ul className="flex flex-wrap gap-1 2xl:mt-2 2xl:flex-col">
        {SETTINGS_PAGES.filter((page) => accountAdmin || !("adminOnly" in page)).map((page) => {
          const active = page.href === current;
          return (
            <li key={page.href}>
              <Link
                href={page.href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "block rounded-md px-2 py-1.5 text-sm font-medium focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600",
                  active
                    ? "bg-white text-indigo-700 shadow-sm ring-1 ring-slate-200 dark:bg-slate-900 dark:text-indigo-300 dark:ring-slate-800"
                    : "text-slate-700 hover:bg-white hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-900",
                )}
              >
                {page.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
