import { describe, expect, it } from "vitest";
import { NEW_KEY_EXPIRATION_OPTIONS, refreshExpirationOptions } from "@/components/api-keys/expiry";
import type { KeyPolicyJson } from "@/lib/schemas/key-policy-rules";
import { beyondCap, capReason, cappedOptions, defaultExpiration } from "./lifetime";

const policy = (over: Partial<KeyPolicyJson> = {}): KeyPolicyJson => ({
  max_lifetime_days: { user: null, service: null },
  default_lifetime_days: { user: null, service: null },
  warning_days: [30, 7, 1],
  leak_action: "revoke",
  ...over,
});
const NOW = new Date("2026-12-01T12:00:00");
const disabled = (options: { value: string; disabled?: boolean }[]) =>
  options.filter((o) => o.disabled).map((o) => o.value);

describe("the New API Key dialog under a key policy", () => {
  it("preselects the default lifetime of the key type: a preset, else a custom date that many days on", () => {
    const p = policy({ default_lifetime_days: { user: 30, service: 45 } });
    expect(defaultExpiration(p, "user", NOW)).toEqual({ expiration: "30", expirationDate: "" });
    expect(defaultExpiration(p, "service", NOW)).toEqual({
      expiration: "custom",
      expirationDate: "2027-01-15",
    });
  });

  it("without a default: 90 days, never Never; under a cap the longest preset it allows (a custom date at the cap below 30)", () => {
    expect(defaultExpiration(policy(), "user", NOW).expiration).toBe("90");
    expect(defaultExpiration(policy(), "service", NOW).expiration).toBe("90");
    expect(defaultExpiration(undefined, "user", NOW).expiration).toBe("90");
    expect(
      defaultExpiration(policy({ max_lifetime_days: { user: 365, service: null } }), "user", NOW).expiration,
    ).toBe("90");
    expect(
      defaultExpiration(policy({ max_lifetime_days: { user: 75, service: null } }), "user", NOW).expiration,
    ).toBe("60");
    expect(
      defaultExpiration(policy({ max_lifetime_days: { user: 10, service: null } }), "user", NOW),
    ).toEqual({
      expiration: "custom",
      expirationDate: "2026-12-11",
    });
  });

  it("disables Never and every preset beyond the cap, with the reason", () => {
    expect(disabled(cappedOptions(NEW_KEY_EXPIRATION_OPTIONS, 60))).toEqual(["never", "90"]);
    expect(disabled(cappedOptions(NEW_KEY_EXPIRATION_OPTIONS, null))).toEqual([]);
    expect(capReason(90)).toBe("Your account allows at most 90 days");
    expect(capReason(null)).toBeNull();
  });

  it("Refresh: keeping the current expiry is allowed only within the cap", () => {
    const options = refreshExpirationOptions("2027-06-01T00:00:00Z", NOW.getTime());
    expect(disabled(cappedOptions(options, 90, 182))).toEqual(["keep", "never"]);
    expect(disabled(cappedOptions(options, 365, 182))).toEqual(["never"]);
    expect(disabled(cappedOptions(options, null, 182))).toEqual([]);
  });

  it("a custom date beyond the cap, or no expiry, is beyond it", () => {
    const now = NOW.getTime();
    expect(beyondCap(undefined, 30, now)).toBe(true);
    expect(beyondCap(new Date(now + 31 * 86_400_000).toISOString(), 30, now)).toBe(true);
    expect(beyondCap(new Date(now + 30 * 86_400_000).toISOString(), 30, now)).toBe(false);
    expect(beyondCap(undefined, null, now)).toBe(false);
  });
});
