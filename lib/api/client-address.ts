import type { Context } from "hono";
import type { ApiEnv } from "./context";

/**
 * The caller's address: the socket's peer, or — only behind a configured number of trusted proxies —
 * the X-Forwarded-For entry that the outermost trusted proxy saw.
 */
export function clientAddress(c: Context<ApiEnv>, trustedProxyHops: number): string | null {
  const peer = c.env?.incoming?.socket.remoteAddress ?? null;
  if (trustedProxyHops <= 0) return peer;
  const forwarded = c.req.header("x-forwarded-for");
  if (!forwarded) return peer;
  const hops = forwarded
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return hops[hops.length - trustedProxyHops] ?? hops[0] ?? peer;
}
