import { readFileSync } from "node:fs";
import path from "node:path";
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { KEY_SEARCH_PATTERN, isWellFormedKey } from "./secrets";

/** docs/leaks.md tells scanners how to validate a key offline: its pattern and worked example must be the code's. */
const doc = readFileSync(path.join(import.meta.dirname, "..", "..", "docs", "leaks.md"), "utf8");
const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** The checksum exactly as the page defines it, written apart from lib/keys/secrets.ts. */
function checksumAsDocumented(first66: string): string {
  let n = crc32(Buffer.from(first66, "ascii"));
  const digits: string[] = [];
  for (let i = 0; i < 6; i++) {
    digits.unshift(DIGITS.charAt(n % 64));
    n = Math.floor(n / 64);
  }
  return digits.join("");
}

describe("docs/leaks.md", () => {
  it("gives the scanners' regular expression Keydesk itself searches with", () => {
    expect(doc).toContain(`\n${KEY_SEARCH_PATTERN.source}\n`);
  });

  it("works an example that Keydesk accepts, and whose checksum follows the page's definition", () => {
    const key = /\| the key\s+\| `([^`]+)`/.exec(doc)?.[1] ?? "";
    const first = /\| first 66 characters\s+\| `([^`]+)`/.exec(doc)?.[1] ?? "";
    const checksum = /\| checksum\s+\| `([^`]+)`/.exec(doc)?.[1] ?? "";
    expect(key).toHaveLength(72);
    expect(key).toBe(first + checksum);
    expect(isWellFormedKey(key)).toBe(true);
    expect(checksumAsDocumented(first)).toBe(checksum);
    expect(doc).toMatch(
      new RegExp(`\\| CRC-32 +\\| ${crc32(first)} \\(\`0x${crc32(first).toString(16)}\`\\)`),
    );
    // One character changed: the checksum no longer matches.
    expect(isWellFormedKey(`${first.slice(0, -1)}x${checksum}`)).toBe(false);
  });
});
