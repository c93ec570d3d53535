import type { Context } from "hono";
import type { Actor, DirectoryDeps } from "../../directory/context";
import { clientAddress } from "../client-address";
import type { ApiDeps, ApiEnv } from "../context";

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

/** Where absolute links point: PUBLIC_URL when set, else the origin the request came to. */
export const publicBase = (c: Context<ApiEnv>, deps: ApiDeps): string =>
  deps.config.publicUrl ?? new URL(c.req.url).origin;

/** `?force=true` (also `1`); anything else is false. */
export const forceFlag = (value: string | undefined) => value === "true" || value === "1";
