import { invalid } from "./errors";

/** A keyset position: the (created_at, id) of the last row on the previous page. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, "utf8").toString("base64url");
}

/** Throws a 400 for anything that is not a cursor this server made. */
export function decodeCursor(value: string): Cursor {
  const bad = () => invalid("`cursor` is not a valid pagination cursor.", "cursor");
  if (value.length > 200 || !/^[A-Za-z0-9_-]+$/.test(value)) throw bad();
  const text = Buffer.from(value, "base64url").toString("utf8");
  const [iso, id, ...rest] = text.split("|");
  if (!iso || !id || rest.length > 0 || !UUID.test(id)) throw bad();
  const createdAt = new Date(iso);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== iso) throw bad();
  if (encodeCursor({ createdAt, id }) !== value) throw bad();
  return { createdAt, id };
}

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
