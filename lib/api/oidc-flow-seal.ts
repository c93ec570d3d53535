/**
 * One single sign-on's values between its start and its callback (PKCE verifier, state, nonce, where
 * to return), sealed with AES-256-GCM into an HttpOnly cookie. The key comes from the client secret
 * (HKDF): every instance configured for the same client opens what another sealed, so a callback may
 * land on any of them; no row to write or sweep.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { z } from "zod";
import type { OidcFlow } from "../auth/oidc-client";

const IV_BYTES = 12;
const TAG_BYTES = 16;

const SealedFlowSchema = z.object({
  codeVerifier: z.string().min(43).max(128),
  state: z.string().min(1).max(200),
  nonce: z.string().min(1).max(200),
  redirectUri: z.url(),
  next: z.string().max(2048),
  /** Milliseconds since the epoch after which the flow is refused. */
  exp: z.number(),
});

export class FlowSeal {
  private readonly key: Buffer;

  constructor(clientSecret: string) {
    this.key = Buffer.from(hkdfSync("sha256", clientSecret, "keydesk", "keydesk oidc flow cookie v1", 32));
  }

  seal(flow: OidcFlow, expiresAt: Date): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([
      cipher.update(JSON.stringify({ ...flow, exp: expiresAt.getTime() }), "utf8"),
      cipher.final(),
    ]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url");
  }

  /** The flow, or null when the value was not sealed here, was changed, or is past its time. */
  open(value: string | undefined, now: Date): OidcFlow | null {
    if (!value || value.length > 8192) return null;
    const raw = Buffer.from(value, "base64url");
    if (raw.length <= IV_BYTES + TAG_BYTES) return null;
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      const text = Buffer.concat([
        decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
        decipher.final(),
      ]).toString("utf8");
      const parsed = SealedFlowSchema.safeParse(JSON.parse(text));
      if (!parsed.success || now.getTime() >= parsed.data.exp) return null;
      const { codeVerifier, state, nonce, redirectUri, next } = parsed.data;
      return { codeVerifier, state, nonce, redirectUri, next };
    } catch {
      return null;
    }
  }
}
