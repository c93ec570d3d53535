import { timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import type { ApiConfig, ApiEnv } from "./context";

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A header the dashboard's own server actions set about the browser's request, believed only when
 * the request proves it comes from them (`x-keydesk-internal`: the internal token).
 */
function fromDashboard(
  c: Context<ApiEnv>,
  internalToken: string | undefined,
  name: "x-keydesk-client-address" | "x-keydesk-public-origin",
): string | undefined {
  if (!internalToken) return undefined;
  const value = c.req.header(name);
  // Only asked when there is something to believe: every request's line reads its address.
  const proof = value ? c.req.header("x-keydesk-internal") : undefined;
  return value && proof && sameSecret(proof, internalToken) ? value : undefined;
}

/**
 * The caller's address: the socket's peer; or, for the dashboard's own server actions (which prove
 * themselves with the internal token), the browser's address they pass on; or — only behind a
 * configured number of trusted proxies — the X-Forwarded-For entry the outermost trusted proxy saw.
 */
export function clientAddress(
  c: Context<ApiEnv>,
  config: Pick<ApiConfig, "trustedProxyHops" | "internalToken">,
): string | null {
  const { trustedProxyHops, internalToken } = config;
  const peer = c.env?.incoming?.socket.remoteAddress ?? null;
  const forwardedByDashboard = fromDashboard(c, internalToken, "x-keydesk-client-address");
  if (forwardedByDashboard) return forwardedByDashboard.slice(0, 64);
  if (trustedProxyHops <= 0) return peer;
  const forwarded = c.req.header("x-forwarded-for");
  if (!forwarded) return peer;
  const hops = forwarded
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return hops[hops.length - trustedProxyHops] ?? hops[0] ?? peer;
}

/**
 * The origin of the browser's request (`https://keys.example.com`), for the dashboard's own server
 * actions, which reach this API at KEYS_API_URL but make links for people: believed only with the
 * internal token, and only as a bare http(s) origin. Otherwise null.
 */
export function dashboardOrigin(c: Context<ApiEnv>, config: Pick<ApiConfig, "internalToken">): string | null {
  const value = fromDashboard(c, config.internalToken, "x-keydesk-public-origin");
  if (!value || !URL.canParse(value)) return null;
  const url = new URL(value);
  return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value ? value : null;
}
