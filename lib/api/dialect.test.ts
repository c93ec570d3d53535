import { describe, expect, it } from "vitest";
import { DEFAULT_DIALECT, dialectFromHeaders, enumValue } from "./dialect";

const headers = (h: Record<string, string>) => (name: string) => h[name];

describe("dialectFromHeaders", () => {
  it.each([
    ["@arizeai/ax-client", "1.18.1", "A"],
    ["@arizeai/ax-client", "1.19.0", "B"],
    ["@arizeai/ax-client", "1.23.0", "B"],
    ["@arizeai/ax-client", "1.24.0", "C"],
    ["@arizeai/ax-client", "1.26.9", "C"],
    ["@arizeai/ax-client", "1.27.0", "D"],
    ["@arizeai/ax-client", "1.28.0", "D"],
    ["arize", "8.31.0", "A"],
    ["arize", "8.35.0", "B"],
    ["arize", "8.39.0", "B"],
    ["arize", "8.40.0", "C"],
    ["arize", "8.41.0", "D"],
    ["arize", "8.42.0", "D"],
    ["client-go-v2", "0.11.0", "A"],
    ["client-go-v2", "v0.12.0", "B"],
    ["client-go-v2", "0.16.0", "B"],
    ["client-go-v2", "0.17.0", "C"],
    ["client-go-v2", "0.18.0", "C"],
    ["client-go-v2", "0.19.0", "D"],
    ["client-go-v2", "0.22.0", "D"],
  ])("%s %s is generation %s", (pkg, version, generation) => {
    const d = dialectFromHeaders(headers({ "sdk-package-name": pkg, "sdk-version": version }));
    expect(d.generation).toBe(generation);
    expect(d.upperEnums).toBe(generation === "C" || generation === "D");
  });

  it("no, unknown or malformed headers give the default dialect", () => {
    expect(dialectFromHeaders(headers({}))).toEqual(DEFAULT_DIALECT);
    expect(dialectFromHeaders(headers({ "sdk-package-name": "other", "sdk-version": "9.0.0" }))).toEqual(
      DEFAULT_DIALECT,
    );
    expect(dialectFromHeaders(headers({ "sdk-package-name": "arize", "sdk-version": "latest" }))).toEqual(
      DEFAULT_DIALECT,
    );
  });

  it("spells enums per generation", () => {
    const d = dialectFromHeaders(headers({ "sdk-package-name": "arize", "sdk-version": "8.42.0" }));
    expect(enumValue(d, "read-only")).toBe("READ_ONLY");
    expect(enumValue(DEFAULT_DIALECT, "read-only")).toBe("read-only");
  });
});
