import { randomBytes, randomUUID } from "node:crypto";
import { crc32 } from "node:zlib";
import { sha256Hex } from "../domain/digest";

/**
 * Raw key: `ak-` + lowercase UUIDv4 + `-` + 32 characters of A–Z a–z 0–9 _ - (72 in all), Arize's
 * shape. The first 26 of those 32 are random (156 bits, plus 122 random bits in the UUID); the last 6
 * are a CRC32 of everything before them, so typos and look-alikes are rejected offline, before any
 * database work, and a secret scanner can validate a candidate (GitHub's 2021 token format).
 *
 * Only SHA-256(raw key) is stored. A slow password hash buys nothing for a 278-bit random secret
 * (ASVS 6.5.2 allows an unsalted fast hash above 112 bits of entropy) and would cost milliseconds on
 * every verification.
 */
export const KEY_PATTERN =
  /^ak-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}-[A-Za-z0-9_-]{32}$/;
/** Finds candidate keys anywhere in text (logs, pages), for scanners and leak tests. */
export const KEY_SEARCH_PATTERN =
  /ak-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}-[A-Za-z0-9_-]{32}/g;

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const RANDOM_CHARS = 26;
const CHECKSUM_CHARS = 6;

function checksum(body: string): string {
  let n = crc32(body);
  let out = "";
  for (let i = 0; i < CHECKSUM_CHARS; i++) {
    out = (ALPHABET[n & 63] ?? "A") + out;
    n = Math.floor(n / 64);
  }
  return out;
}

export function generateKey(): string {
  const random = randomBytes(RANDOM_CHARS);
  let tail = "";
  for (const byte of random) tail += ALPHABET[byte & 63];
  const body = `ak-${randomUUID()}-${tail}`;
  return body + checksum(body);
}

/** Shape and checksum, without touching the database. */
export function isWellFormedKey(candidate: string): boolean {
  if (candidate.length !== 72 || !KEY_PATTERN.test(candidate)) return false;
  return checksum(candidate.slice(0, -CHECKSUM_CHARS)) === candidate.slice(-CHECKSUM_CHARS);
}

export function digestKey(raw: string): string {
  return sha256Hex(raw);
}

/** First 6 characters, `...`, last 3. */
export function redactKey(raw: string): string {
  return `${raw.slice(0, 6)}...${raw.slice(-3)}`;
}
