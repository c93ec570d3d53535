import { describe, expect, it } from "vitest";
import { DEFAULT_DIALECT, dialectFromHeaders, enumValue, has, keyStatus, roleValue } from "./dialect";

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

  it("tells the Go client from the Python SDK by sdk-language (both send sdk-package-name: arize)", () => {
    const go = (version: string) =>
      dialectFromHeaders(
        headers({ "sdk-package-name": "arize", "sdk-version": version, "sdk-language": "go" }),
      );
    expect(go("0.11.0")).toMatchObject({ client: { family: "go" }, generation: "A" });
    expect(go("0.16.0").generation).toBe("B");
    expect(go("0.18.0").generation).toBe("C");
    expect(go("0.22.0").generation).toBe("D");
    const python = dialectFromHeaders(
      headers({ "sdk-package-name": "arize", "sdk-version": "8.31.0", "sdk-language": "python" }),
    );
    expect(python).toMatchObject({ client: { family: "python" }, generation: "A" });
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

  it.each(["constructor", "__proto__", "CONSTRUCTOR", " __proto__ "])(
    "sdk-package-name %j names no client: the default dialect, whatever the version",
    (name) => {
      for (const version of ["1.0.0", "8.42.0", "0.19.0"]) {
        const d = dialectFromHeaders(
          headers({ "sdk-package-name": name, "sdk-version": version, "sdk-language": "go" }),
        );
        expect(d).toEqual(DEFAULT_DIALECT);
      }
    },
  );

  it("spells enums per generation", () => {
    const d = dialectFromHeaders(headers({ "sdk-package-name": "arize", "sdk-version": "8.42.0" }));
    expect(enumValue(d, "read-only")).toBe("READ_ONLY");
    expect(enumValue(DEFAULT_DIALECT, "read-only")).toBe("read-only");
  });
});

describe("the per-version field table", () => {
  const of = (pkg: string, version: string) =>
    dialectFromHeaders(headers({ "sdk-package-name": pkg, "sdk-version": version }));

  it.each([
    // [package, version, last_used_at, redacted_key on create, is_private on spaces, bot_user]
    ["arize", "8.28.2", false, true, false, false],
    ["arize", "8.31.0", true, true, false, false],
    ["arize", "8.39.0", true, true, false, false],
    ["arize", "8.40.0", true, false, false, false],
    ["arize", "8.42.0", true, true, false, true],
    ["arize", "8.43.0", true, true, true, true],
    ["@arizeai/ax-client", "1.18.1", true, true, false, false],
    ["@arizeai/ax-client", "1.24.0", true, false, false, false],
    ["@arizeai/ax-client", "1.26.3", true, false, false, false],
    ["@arizeai/ax-client", "1.27.0", true, true, true, true],
    ["client-go-v2", "0.5.0", false, true, false, false],
    ["client-go-v2", "0.18.0", true, false, false, false],
    ["client-go-v2", "0.22.0", true, true, true, true],
  ] as const)("%s %s", (pkg, version, lastUsed, redacted, isPrivate, botUser) => {
    const d = of(pkg, version);
    expect(has(d, "api_key.last_used_at")).toBe(lastUsed);
    expect(has(d, "api_key_created.redacted_key")).toBe(redacted);
    expect(has(d, "space.is_private")).toBe(isPrivate);
    expect(has(d, "service_key.bot_user")).toBe(botUser);
  });

  it("the default dialect keeps today's documented shapes, with is_private on spaces", () => {
    expect(has(DEFAULT_DIALECT, "api_key.last_used_at")).toBe(true);
    expect(has(DEFAULT_DIALECT, "api_key_created.redacted_key")).toBe(true);
    expect(has(DEFAULT_DIALECT, "space.is_private")).toBe(true);
    expect(has(DEFAULT_DIALECT, "service_key.bot_user")).toBe(false);
  });

  it.each([
    ["arize", "8.44.0", false],
    ["arize", "8.45.0", true],
    ["arize", "8.61.0", true],
    ["@arizeai/ax-client", "1.28.0", false],
    ["client-go-v2", "0.22.0", false],
  ] as const)("bot_user on listed service keys: %s %s → %s", (pkg, version, present) => {
    expect(has(of(pkg, version), "api_key_list.bot_user")).toBe(present);
    expect(has(DEFAULT_DIALECT, "api_key_list.bot_user")).toBe(false);
  });

  it("a revoked key reads `deleted` only for Python and Go of generation A", () => {
    expect(keyStatus(of("arize", "8.31.0"), "revoked")).toBe("deleted");
    expect(keyStatus(of("client-go-v2", "0.11.0"), "revoked")).toBe("deleted");
    expect(keyStatus(of("@arizeai/ax-client", "1.18.1"), "revoked")).toBe("revoked");
    expect(keyStatus(of("arize", "8.39.0"), "revoked")).toBe("revoked");
    expect(keyStatus(of("arize", "8.40.0"), "revoked")).toBe("REVOKED");
    expect(keyStatus(of("arize", "8.31.0"), "active")).toBe("active");
    expect(keyStatus(DEFAULT_DIALECT, "revoked")).toBe("revoked");
  });

  it("roles are objects for generation D only", () => {
    expect(roleValue(of("arize", "8.42.0"), "read-only")).toEqual({ type: "PREDEFINED", name: "READ_ONLY" });
    expect(roleValue(of("arize", "8.40.0"), "read-only")).toBe("READ_ONLY");
    expect(roleValue(DEFAULT_DIALECT, "read-only")).toBe("read-only");
  });
});
