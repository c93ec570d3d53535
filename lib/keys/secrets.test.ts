import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKey, expectProblem, meStatus, setupDemo, type Demo } from "../testing/api-keys-test-kit";
import { testDatabases } from "../testing/test-databases";
import {
  digestKey,
  generateKey,
  isWellFormedKey,
  KEY_PATTERN,
  KEY_SEARCH_PATTERN,
  redactKey,
} from "./secrets";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const SHAPE = /^ak-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}-[A-Za-z0-9_-]{32}$/;

/** Every character another character of the key's alphabet at that position could be. */
function alternativesAt(key: string, index: number): string[] {
  const current = key.charAt(index);
  // Only the 32-character tail and the hex UUID are free text; the prefix and dashes are fixed.
  const alphabet = index >= 40 ? ALPHABET : /[0-9a-f]/.test(current) ? "0123456789abcdef" : "";
  return [...alphabet].filter((c) => c !== current);
}

const replaceAt = (s: string, i: number, c: string) => s.slice(0, i) + c + s.slice(i + 1);

describe("key format", () => {
  const sample = Array.from({ length: 2000 }, () => generateKey());

  it("is 72 characters: ak- + lowercase UUIDv4 + - + 32 of [A-Za-z0-9_-]", () => {
    for (const key of sample) {
      expect(key).toHaveLength(72);
      expect(key).toMatch(SHAPE);
      expect(key).toMatch(KEY_PATTERN);
      expect(isWellFormedKey(key)).toBe(true);
    }
  });

  it("uses the whole tail alphabet (the random part is not a narrow subset)", () => {
    const seen = new Set(sample.flatMap((k) => [...k.slice(40, 66)]));
    expect(seen.size).toBe(64);
  });

  it("never repeats over many keys, nor in its UUID or random tail alone", () => {
    const many = [...sample, ...Array.from({ length: 18_000 }, () => generateKey())];
    expect(new Set(many).size).toBe(many.length);
    expect(new Set(many.map((k) => k.slice(3, 39))).size).toBe(many.length);
    expect(new Set(many.map((k) => k.slice(40, 66))).size).toBe(many.length);
  });

  it("redacts to the first 6 characters, ..., and the last 3", () => {
    for (const key of sample.slice(0, 100)) {
      const redacted = redactKey(key);
      expect(redacted).toBe(`${key.slice(0, 6)}...${key.slice(69)}`);
      expect(redacted).toHaveLength(12);
      expect(redacted.startsWith("ak-")).toBe(true);
    }
  });

  it("digests with SHA-256, as lowercase hex", () => {
    for (const key of sample.slice(0, 100)) {
      const digest = digestKey(key);
      expect(digest).toMatch(/^[0-9a-f]{64}$/);
      expect(digest).toBe(createHash("sha256").update(key, "utf8").digest("hex"));
      expect(digest).not.toContain(key.slice(40));
    }
  });

  it("is found by the search pattern inside other text", () => {
    const key = generateKey();
    expect(`log line token=${key}; done`.match(KEY_SEARCH_PATTERN)).toEqual([key]);
  });
});

describe("checksum", () => {
  const sample = Array.from({ length: 500 }, () => generateKey());

  it("rejects every single-character change, at every position, across a large sample", () => {
    let checked = 0;
    for (const key of sample) {
      for (let i = 0; i < key.length; i++) {
        for (const c of alternativesAt(key, i)) {
          const typo = replaceAt(key, i, c);
          if (isWellFormedKey(typo)) throw new Error(`accepted ${i}:${c} of a valid key`);
          checked++;
        }
      }
    }
    // Enough variations that a missing or weak checksum could not slip through.
    expect(checked).toBeGreaterThan(1_000_000);
  });

  it("rejects every transposition of two different adjacent characters", () => {
    let checked = 0;
    for (const key of sample) {
      for (let i = 0; i + 1 < key.length; i++) {
        const a = key.charAt(i);
        const b = key.charAt(i + 1);
        if (a === b) continue;
        const swapped = key.slice(0, i) + b + a + key.slice(i + 2);
        expect(isWellFormedKey(swapped)).toBe(false);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(15_000);
  });

  it("rejects upper-cased UUIDs, wrong lengths, other prefixes and non-v4 UUIDs", () => {
    const key = generateKey();
    expect(isWellFormedKey(key.toUpperCase())).toBe(false);
    expect(isWellFormedKey(key.slice(0, 71))).toBe(false);
    expect(isWellFormedKey(`${key}A`)).toBe(false);
    expect(isWellFormedKey(`ax${key.slice(2)}`)).toBe(false);
    expect(isWellFormedKey(replaceAt(key, 17, "1"))).toBe(false);
    expect(isWellFormedKey("")).toBe(false);
  });
});

/** A syntactically perfect key whose checksum is wrong: the last character changed. */
function badChecksumKey(): string {
  const key = generateKey();
  const last = key.charAt(71);
  return replaceAt(key, 71, last === "A" ? "B" : "A");
}

describe.each(testDatabases())("checksum before the database ($name)", (database) => {
  let demo: Demo;
  beforeAll(async () => {
    demo = await setupDemo(database);
  });
  afterAll(() => demo.harness.handle.close().catch(() => undefined));

  it("rejects a well-formed key with a bad checksum with the normal 401, without any database query", async () => {
    const { harness } = demo;
    // Control: a real key works, and the same key with one character off is a 401 while the DB is up.
    const { key } = await createKey(harness, demo.tokens.member, { name: "checksum control" });
    expect(await meStatus(harness, key)).toBe(200);
    const unknown = await harness.request("GET", "/v2/me", { token: badChecksumKey() });
    const normal401 = await unknown.clone().text();
    await expectProblem(unknown, 401);

    // Now take the database away: anything that reached it would fail closed with a 503.
    await harness.handle.close();
    const viaDb = await harness.request("GET", "/v2/me", { token: key });
    expect(viaDb.status).not.toBe(200);
    expect(viaDb.status).not.toBe(401);

    for (let i = 0; i < 20; i++) {
      const res = await harness.request("GET", "/v2/me", { token: badChecksumKey() });
      expect(res.status).toBe(401);
      expect(await res.text()).toBe(normal401);
    }
  });
});
