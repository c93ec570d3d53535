/**
 * GitHub's secret-scanning signatures (lifecycle.md §6): each report is signed with ECDSA P-256 over
 * SHA-256 of the raw body, the signature base64 DER in `Github-Public-Key-Signature`, the key named by
 * `Github-Public-Key-Identifier`. The public keys are GitHub's `{"public_keys": [{key_identifier, key,
 * is_current}]}` document, read from a file (`GITHUB_SECRET_SCANNING_KEYS_FILE`) or else fetched
 * (`GITHUB_SECRET_SCANNING_KEYS_URL`, by default GitHub's meta endpoint).
 *
 * Cached for an hour; an identifier the cache does not know makes one fresh read, at most once a
 * minute (GitHub publishes a new key before it signs with it, so a rotation costs one read). When the
 * keys cannot be read and none are cached, nothing can be verified: `unavailable` (503); a failed read
 * is tried again at most once a minute, so a flood of reports never becomes a flood of reads.
 */
import { createPublicKey, verify as verifySignature, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Clock } from "../clock";
import { logger } from "../domain/logger";

const GITHUB_KEYS_URL = "https://api.github.com/meta/public_keys/secret_scanning";
const CACHE_MS = 60 * 60_000;
const REFETCH_MIN_MS = 60_000;
const FETCH_TIMEOUT_MS = 5_000;

export interface GitHubKeysConfig {
  /** A file holding GitHub's public keys document; when set, the URL is not used. */
  file?: string;
  /** Where to fetch the document (default GitHub's meta endpoint). */
  url?: string;
}

export type SignatureCheck = "valid" | "unknown_key" | "bad_signature" | "unavailable";

interface Loaded {
  keys: Map<string, KeyObject>;
  /** Clock time of the read (ms). */
  at: number;
}

/** Parses GitHub's document; keys that are not valid public keys are skipped. */
function parseKeys(text: string): Map<string, KeyObject> {
  const doc = JSON.parse(text) as { public_keys?: unknown };
  if (!Array.isArray(doc.public_keys)) throw new Error("no public_keys array");
  const keys = new Map<string, KeyObject>();
  for (const entry of doc.public_keys as unknown[]) {
    if (!entry || typeof entry !== "object") continue;
    const { key_identifier: id, key } = entry as { key_identifier?: unknown; key?: unknown };
    if (typeof id !== "string" || typeof key !== "string") continue;
    try {
      keys.set(id, createPublicKey(key));
    } catch {
      // A key this runtime cannot read verifies nothing.
    }
  }
  return keys;
}

export class GitHubPublicKeys {
  private loaded: Loaded | undefined;
  /** Clock time (ms) of the last attempt to read, successful or not. */
  private lastAttempt = Number.NEGATIVE_INFINITY;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly config: GitHubKeysConfig,
    private readonly clock: Clock,
  ) {}

  private async read(): Promise<void> {
    this.lastAttempt = this.clock.now().getTime();
    let text: string;
    if (this.config.file) {
      text = await readFile(this.config.file, "utf8");
    } else {
      const res = await fetch(this.config.url ?? GITHUB_KEYS_URL, {
        headers: { accept: "application/json" },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        redirect: "error",
      });
      if (!res.ok) throw new Error(`GitHub's public keys: HTTP ${res.status}`);
      text = await res.text();
    }
    this.loaded = { keys: parseKeys(text), at: this.clock.now().getTime() };
  }

  /** One read at a time; a failed read keeps what was cached and is logged without detail of the body. */
  private refresh(): Promise<void> {
    this.pending ??= this.read()
      .catch((err: unknown) => {
        logger.warn(
          {
            source: this.config.file ? "file" : "url",
            err: err instanceof Error ? err.message : String(err),
          },
          "GitHub secret-scanning keys unavailable",
        );
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  private async keyFor(identifier: string): Promise<KeyObject | "unknown_key" | "unavailable"> {
    const now = this.clock.now().getTime();
    if (!this.loaded || now - this.loaded.at >= CACHE_MS) {
      if (now - this.lastAttempt >= REFETCH_MIN_MS) await this.refresh();
    }
    let key = this.loaded?.keys.get(identifier);
    if (!key && this.loaded && this.clock.now().getTime() - this.lastAttempt >= REFETCH_MIN_MS) {
      await this.refresh();
      key = this.loaded?.keys.get(identifier);
    }
    if (key) return key;
    return this.loaded ? "unknown_key" : "unavailable";
  }

  /** Whether `signature` (base64 DER) by the key `identifier` signs exactly these bytes. */
  async check(identifier: string, signature: string, body: Uint8Array): Promise<SignatureCheck> {
    const key = await this.keyFor(identifier);
    if (typeof key === "string") return key;
    try {
      const der = Buffer.from(signature, "base64");
      return der.length > 0 && verifySignature("sha256", body, key, der) ? "valid" : "bad_signature";
    } catch {
      return "bad_signature";
    }
  }
}
