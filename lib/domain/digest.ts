import { createHash, randomBytes } from "node:crypto";

/** SHA-256, hex. The only form in which keys and session tokens are stored. */
export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

/** Opaque session token: a typed prefix and 256 random bits. */
export function newSessionToken(): string {
  return `kds_${randomBytes(32).toString("base64url")}`;
}
