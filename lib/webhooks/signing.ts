import { createHmac, randomBytes } from "node:crypto";

/** A new signing secret: `whsec_` and 32 random bytes (base64url). */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/** What a webhook shows of its secret after create: `whsec_…abcd`. */
export function signingSecretHint(secret: string): string {
  return `whsec_…${secret.slice(-4)}`;
}

/** `v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`, keyed with the whole secret string (UTF-8). */
export function signDelivery(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", Buffer.from(secret, "utf8")).update(`${timestamp}.${body}`).digest("hex")}`;
}
