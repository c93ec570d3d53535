/**
 * Public ids are standard base64 of `<Type>:<uuid>`. Arize's SDKs tell an id from a name by
 * base64-decoding and looking for `:`, so this shape is what makes their name resolution work.
 */
export type IdType = "ApiKey" | "Space" | "Organization" | "User";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function encodeId(type: IdType, uuid: string): string {
  return Buffer.from(`${type}:${uuid}`, "utf8").toString("base64");
}

/** The uuid inside a public id of the given type, or null for anything else. Never throws. */
export function decodeId(type: IdType, id: string): string | null {
  if (id.length > 80 || !BASE64.test(id)) return null;
  const text = Buffer.from(id, "base64").toString("utf8");
  // Reject non-canonical encodings so one resource has exactly one id.
  if (Buffer.from(text, "utf8").toString("base64") !== id) return null;
  const prefix = `${type}:`;
  if (!text.startsWith(prefix)) return null;
  const uuid = text.slice(prefix.length);
  return UUID.test(uuid) ? uuid : null;
}
