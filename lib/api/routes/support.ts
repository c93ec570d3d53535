import type { Context, TypedResponse } from "hono";
import type { Actor, DirectoryDeps } from "../../directory/context";
import { clientAddress, dashboardOrigin } from "../client-address";
import type { ApiDeps, ApiEnv } from "../context";
import type { JsonText } from "../serialize";

export const directoryDeps = (deps: ApiDeps): DirectoryDeps => ({
  db: deps.db,
  clock: deps.clock,
  mailer: deps.mailer,
  events: deps.events,
});

export const actorOf = (c: Context<ApiEnv>, deps: ApiDeps): Actor => ({
  principal: c.get("principal"),
  clientAddress: clientAddress(c, deps.config),
});

/**
 * Where absolute links (invitations, password resets) point: PUBLIC_URL when set; else the origin the
 * person used — for the dashboard's server actions, which reach this API at KEYS_API_URL, the
 * browser's origin they pass on with the internal token; for any other caller, the origin of their
 * own request. A Host or header of a caller's choosing can only aim links that caller asked for
 * (every link is made on an account admin's authenticated request), never the dashboard's.
 */
export const publicBase = (c: Context<ApiEnv>, deps: ApiDeps): string =>
  deps.config.publicUrl ?? dashboardOrigin(c, deps.config) ?? new URL(c.req.url).origin;

/** `?force=true` (also `1`); anything else is false. */
export const forceFlag = (value: string | undefined) => value === "true" || value === "1";

/**
 * A 200 JSON answer that must not be stored, with its headers as a plain object: @hono/node-server
 * writes those as they are, where `c.header()` (or more than one header through `c.json`) builds a
 * fetch `Headers` object — 2–3 % of a cached `GET /v2/me` in the CPU profile (issue 11). Typed as
 * `c.json` would be, so the route's declared schema still checks what the text holds.
 */
export function noStoreJson<T>(text: JsonText<T>): TypedResponse<T, 200, "json"> {
  const response = new Response(text, {
    status: 200,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });
  return response as unknown as TypedResponse<T, 200, "json">;
}
