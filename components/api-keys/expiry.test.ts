import { describe, expect, it } from "vitest";
import { expiresAtFor } from "@/lib/schemas/api-key-forms";
import {
  chosenExpiresAt,
  defaultRefreshExpiration,
  expiryChangeNote,
  NEW_KEY_EXPIRATION_OPTIONS,
  refreshExpirationOptions,
} from "./expiry";
import { shortDate } from "./format";

const NOW = Date.parse("2026-06-01T12:00:00.000Z");
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const in10Days = iso(NOW + 10 * DAY);
const NINETY = { expiration: "90", expirationDate: "" } as const;

describe("expiry presets", () => {
  it("New API Key offers Never, 30, 60, 90 days and a custom date", () => {
    expect(NEW_KEY_EXPIRATION_OPTIONS.map((o) => o.label)).toEqual([
      "Never",
      "30 days",
      "60 days",
      "90 days",
      "Custom date",
    ]);
  });

  it("a preset counts days from now; Never sends no expiry", () => {
    expect(expiresAtFor("30", "", new Date(NOW))).toBe(iso(NOW + 30 * DAY));
    expect(expiresAtFor("never", "", new Date(NOW))).toBeUndefined();
  });
});

describe("Refresh API Key's expiration", () => {
  it("offers and preselects the key's current expiry while it is in the future", () => {
    const options = refreshExpirationOptions(in10Days, NOW);
    expect(options[0]).toEqual({ value: "keep", label: `Keep current expiry: ${shortDate(in10Days)}` });
    expect(options.slice(1)).toEqual(NEW_KEY_EXPIRATION_OPTIONS);
    expect(defaultRefreshExpiration(in10Days, NOW, NINETY).expiration).toBe("keep");
  });

  it("preselects a new key's lifetime, not Never, for a key that never expires (no Keep option)", () => {
    expect(refreshExpirationOptions(undefined, NOW)).toEqual(NEW_KEY_EXPIRATION_OPTIONS);
    expect(defaultRefreshExpiration(undefined, NOW, NINETY)).toEqual(NINETY);
  });

  it("preselects a new key's lifetime for a key that has already expired, never Never", () => {
    const past = iso(NOW - DAY);
    expect(refreshExpirationOptions(past, NOW).map((o) => o.value)).not.toContain("keep");
    expect(defaultRefreshExpiration(past, NOW, NINETY)).toEqual(NINETY);
  });

  it("Keep sends the key's own expiry; a custom date is null until it is a whole date", () => {
    expect(chosenExpiresAt("keep", "", in10Days, NOW)).toBe(in10Days);
    expect(chosenExpiresAt("never", "", in10Days, NOW)).toBeUndefined();
    expect(chosenExpiresAt("custom", "2026-0", in10Days, NOW)).toBeNull();
    expect(chosenExpiresAt("60", "", in10Days, NOW)).toBe(iso(NOW + 60 * DAY));
  });

  it("says when a choice extends or shortens the key, and nothing when it keeps it", () => {
    expect(expiryChangeNote(in10Days, in10Days, NOW)).toBeNull();
    expect(expiryChangeNote(undefined, undefined, NOW)).toBeNull();
    expect(expiryChangeNote(in10Days, null, NOW)).toBeNull();
    expect(expiryChangeNote(in10Days, iso(NOW + 30 * DAY), NOW)).toBe(
      `This extends the key to ${shortDate(iso(NOW + 30 * DAY))} (was ${shortDate(in10Days)}).`,
    );
    expect(expiryChangeNote(in10Days, undefined, NOW)).toBe(
      `This extends the key: it will never expire (was ${shortDate(in10Days)}).`,
    );
    expect(expiryChangeNote(undefined, iso(NOW + 30 * DAY), NOW)).toBe(
      `This shortens the key's life: it will expire on ${shortDate(iso(NOW + 30 * DAY))} (it never expired).`,
    );
    expect(expiryChangeNote(iso(NOW - DAY), iso(NOW + 30 * DAY), NOW)).toMatch(
      /^This extends the key to .* \(it had expired\)\.$/,
    );
  });
});
