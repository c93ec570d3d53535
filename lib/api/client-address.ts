import { timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import type { ApiConfig, ApiEnv } from "./context";

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
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
  const forwardedByDashboard = c.req.header("x-keydesk-client-address");
  const proof = c.req.header("x-keydesk-internal");
  if (internalToken && forwardedByDashboard && proof && sameSecret(proof, internalToken)) {
    return forwardedByDashboard.slice(0, 64);
  }
  if (trustedProxyHops <= 0) return peer;
  const forwarded = c.req.header("x-forwarded-for");
  if (!forwarded) return peer;
  const hops = forwarded
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return hops[hops.length - trustedProxyHops] ?? hops[0] ?? peer;
}
