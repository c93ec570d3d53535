import type { ApiKeyDetailsJson } from "@/lib/schemas/api-key-details";
import { at } from "./format";

type LeakReport = NonNullable<ApiKeyDetailsJson["leak_reports"]>[number];

const SOURCE_LABEL: Record<LeakReport["source"], string> = {
  github: "GitHub secret scanning",
  gitlab: "GitLab secret detection",
};

const OUTCOME_LABEL: Record<LeakReport["outcome"], string> = {
  revoked: "Keydesk revoked the key.",
  grace_ended: "Keydesk ended the previous secret’s grace period; the current secret still works.",
  notified: "Not revoked: this account’s key policy is to notify only. Revoke or refresh the key.",
  already_inactive: "That secret no longer worked when it was reported.",
};

/** A link only for web addresses; anything else a report names is shown as text. */
function Place({ url }: { url: string }) {
  if (!url) return <>an unnamed place</>;
  const web = /^https?:\/\//i.test(url);
  return web ? (
    <a
      href={url}
      rel="noreferrer noopener"
      target="_blank"
      className="break-all font-medium underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-red-700"
    >
      {url}
    </a>
  ) : (
    <span className="break-all font-mono">{url}</span>
  );
}

/** Where the key's secrets were reported found (lifecycle.md §6), under its **Leaked** badge. */
export function KeyLeaks({ reports }: { reports: LeakReport[] }) {
  return (
    <section
      aria-label="Leak reports"
      className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
    >
      <h2 className="font-semibold">
        Found in public {reports.length === 1 ? "once" : `${reports.length} times`}
      </h2>
      <ul className="mt-2 space-y-2">
        {reports.map((r) => (
          <li key={`${r.source} ${r.url} ${r.reported_at}`}>
            {r.secret === "current" ? "Its secret" : "Its previous secret"} was found at <Place url={r.url} />
            {r.location ? ` (${r.location})` : ""}, reported by {SOURCE_LABEL[r.source]} on{" "}
            <time dateTime={r.reported_at}>{at(r.reported_at)}</time>. {OUTCOME_LABEL[r.outcome]}
          </li>
        ))}
      </ul>
    </section>
  );
}
