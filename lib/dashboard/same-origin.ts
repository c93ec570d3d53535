import "server-only";

/**
 * Whether a state-changing request comes from our own pages. A plain form post (no JavaScript) from
 * a page served with `Referrer-Policy: no-referrer` arrives with `Origin: null`, so Origin alone
 * cannot tell: browsers also send `Sec-Fetch-Site`, which names the relation whatever the referrer
 * policy. A request with neither a same-origin `Sec-Fetch-Site` nor an Origin naming this host is
 * refused.
 */
export function isSameOriginRequest(headers: Headers): boolean {
  const site = headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin";
  const origin = headers.get("origin");
  const host = headers.get("host");
  if (!origin || origin === "null" || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
