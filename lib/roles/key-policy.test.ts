import { describe, expect, it } from "vitest";
import { lifetimeRefusal, mayEditKeyPolicy } from "./key-policy";

describe("key policy rules", () => {
  it("account admins change the policy; members are refused with the reason", () => {
    expect(mayEditKeyPolicy("admin")).toEqual({ allowed: true });
    expect(mayEditKeyPolicy("member")).toEqual({
      allowed: false,
      reason: "Only account admins can change the key policy.",
    });
  });

  it("a lifetime beyond the cap, or none under a cap, is refused with the cap in the reason", () => {
    expect(lifetimeRefusal(90, 90)).toBeNull();
    expect(lifetimeRefusal(91, 90)).toBe("Your account allows at most 90 days");
    expect(lifetimeRefusal(null, 90)).toBe("Your account allows at most 90 days");
    expect(lifetimeRefusal(null, null)).toBeNull();
  });
});
