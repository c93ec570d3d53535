import { relativeTime, shortDate } from "./format";

/**
 * A key's Expires value in a list: "in 3 months", "2 days ago" for an expired key (its Status says
 * Expired, once), "Never", and "—" for a revoked key, which no longer expires.
 */
export function ExpiresText({ status, expiresAt }: { status: string; expiresAt: string | undefined }) {
  if (status.toLowerCase() !== "active") return <span title="Revoked: it no longer expires">—</span>;
  if (!expiresAt) return <>Never</>;
  return (
    <time dateTime={expiresAt} title={shortDate(expiresAt)} className="whitespace-nowrap">
      {relativeTime(expiresAt)}
    </time>
  );
}
