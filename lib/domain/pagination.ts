import { createHash } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { invalid } from "./errors";

/** A keyset position: the (created_at, id) of the last row on the previous page. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A check over the position, so an edited cursor is refused (400) rather than read as another
 * position. Not a secret: a forged cursor could only name a position, and the query's filters come
 * from the credential and the parameters, never from the cursor, so it cannot widen what is listed.
 */
function check(position: string): string {
  return createHash("sha256").update(`keydesk-cursor|${position}`).digest("base64url").slice(0, 8);
}

export function encodeCursor(cursor: Cursor): string {
  const position = `${cursor.createdAt.toISOString()}|${cursor.id}`;
  return Buffer.from(`${position}|${check(position)}`, "utf8").toString("base64url");
}

/** Throws a 400 for anything that is not a cursor this server made. */
export function decodeCursor(value: string): Cursor {
  const bad = () => invalid("`cursor` is not a valid pagination cursor.", "cursor");
  if (value.length > 200 || !/^[A-Za-z0-9_-]+$/.test(value)) throw bad();
  const text = Buffer.from(value, "base64url").toString("utf8");
  const [iso, id, mac, ...rest] = text.split("|");
  if (!iso || !id || !mac || rest.length > 0 || !UUID.test(id) || mac !== check(`${iso}|${id}`)) throw bad();
  const createdAt = new Date(iso);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== iso) throw bad();
  if (encodeCursor({ createdAt, id }) !== value) throw bad();
  return { createdAt, id };
}

/**
 * A prepared list's cursor condition, oldest first: the row comes after the placeholders `cursorAt`
 * and `cursorId` (`cursorValues`) in (created_at, id) order — a row comparison that the list's index
 * in that order serves.
 */
export const afterCursor = (createdAt: PgColumn, id: PgColumn): SQL =>
  sql`(${createdAt}, ${id}) > (${sql.placeholder("cursorAt")}::timestamptz, ${sql.placeholder("cursorId")}::uuid)`;

/** The values of `afterCursor`'s placeholders (none without a cursor). */
export const cursorValues = (cursor: Cursor | undefined) =>
  cursor ? { cursorAt: cursor.createdAt.toISOString(), cursorId: cursor.id } : {};

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Rows were fetched with `limit + 1`; the extra row only says that there is more. */
export function toPage<T>(rows: T[], limit: number, position: (row: T) => Cursor): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return last ? { items, nextCursor: encodeCursor(position(last)) } : { items };
}

/** A position in a sequence (the audit log's ids), newest first: the last id of the previous page. */
export function encodeSequenceCursor(id: number): string {
  const position = `seq|${id}`;
  return Buffer.from(`${position}|${check(position)}`, "utf8").toString("base64url");
}

export function decodeSequenceCursor(value: string): number {
  const bad = () => invalid("`cursor` is not a valid pagination cursor.", "cursor");
  if (value.length > 200 || !/^[A-Za-z0-9_-]+$/.test(value)) throw bad();
  const [tag, digits, mac, ...rest] = Buffer.from(value, "base64url").toString("utf8").split("|");
  if (tag !== "seq" || !digits || !/^\d{1,15}$/.test(digits) || rest.length > 0) throw bad();
  if (mac !== check(`seq|${digits}`)) throw bad();
  const id = Number(digits);
  if (encodeSequenceCursor(id) !== value) throw bad();
  return id;
}
