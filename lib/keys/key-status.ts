import { and, eq, gt, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import { apiKeys } from "../db/schema";

/**
 * The `status` filter of the key lists (`GET /v2/api-keys`, its `scope=account` inventory) as SQL.
 * `active` keeps Arize's meaning (not revoked, expired or not); [ext] `usable` is what the dashboard
 * calls Active: not revoked and not expired (valid iff now < expires_at); [ext] `expired` is its
 * complement among the active ones; `all` filters nothing.
 */
export type KeyStatusInput = "active" | "revoked" | "expired" | "usable" | "all";

/** A list query's status shape: one stored status (a placeholder), or one that needs the time. */
export type KeyStatusShape = "one" | "expired" | "usable" | "all";

export function keyStatusShape(status: KeyStatusInput): KeyStatusShape {
  return status === "active" || status === "revoked" ? "one" : status;
}

/** Whether the shape reads the `now` placeholder. */
export const statusNeedsNow = (shape: KeyStatusShape) => shape === "expired" || shape === "usable";

/** The shape's conditions; placeholders `status` (one) and `now` (expired, usable). */
export function keyStatusConditions(shape: KeyStatusShape): SQL[] {
  const p = sql.placeholder;
  const now = sql`${p("now")}::timestamptz`;
  if (shape === "one") return [eq(apiKeys.status, p("status"))];
  if (shape === "expired") return [eq(apiKeys.status, "active"), lte(apiKeys.expiresAt, now)];
  if (shape === "usable") {
    const notExpired = or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now));
    return [and(eq(apiKeys.status, "active"), notExpired) ?? eq(apiKeys.status, "active")];
  }
  return [];
}
