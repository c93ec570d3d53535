import { describe, expect, it } from "vitest";
import { requestIdOf } from "./request-id";

describe("requestIdOf", () => {
  it("keeps a short safe token", () => {
    for (const id of ["abc-123", "A.b_c-9", "x".repeat(64)]) expect(requestIdOf(id)).toBe(id);
  });

  it("replaces anything else with a new UUID", () => {
    for (const id of [undefined, null, "", "x y", "a\nb", "x".repeat(65), "a/b", ["a", "b"], "ünï"]) {
      expect(requestIdOf(id)).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    }
    expect(requestIdOf(undefined)).not.toBe(requestIdOf(undefined));
  });
});
