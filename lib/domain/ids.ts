/**
 * Public ids are standard base64 of `<Type>:<uuid>`. Arize's SDKs tell an id from a name by
 * base64-decoding and looking for `:`, so this shape is what makes their name resolution work.
 */
export type IdType =
  "ApiKey" | "Space" | "Organization" | "User" | "Webhook" | "WebhookSubscription" | "WebhookEvent";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Encoded ids by type and uuid. Every response encodes the caller's user, organization and space ids
 * again (a Buffer round trip each, ~5 % of a cached GET /v2/me in the profile, issue 11); a map
 * lookup by the uuid string is ~20× cheaper. Bounded: cleared when it reaches `MAX_ENCODED` entries.
 */
const encoded: Record<IdType, Map<string, string>> = {
  ApiKey: new Map(),
  Space: new Map(),
  Organization: new Map(),
  User: new Map(),
  Webhook: new Map(),
  WebhookSubscription: new Map(),
  WebhookEvent: new Map(),
};
const MAX_ENCODED = 20_000;

export function encodeId(type: IdType, uuid: string): string {
  const known = encoded[type];
  let id = known.get(uuid);
  if (id === undefined) {
    id = Buffer.from(`${type}:${uuid}`, "utf8").toString("base64");
    if (known.size >= MAX_ENCODED) known.clear();
    known.set(uuid, id);
  }
  return id;
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
