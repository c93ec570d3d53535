import { describe, expect, it } from "vitest";
import { eventLabel } from "./format";

describe("eventLabel", () => {
  it("names the key's own operations, and a revoke's reason unless it was manual", () => {
    expect(eventLabel("create_api_key", "{}")).toBe("Created");
    expect(eventLabel("refresh_api_key", '{"grace_period_seconds":3600}')).toBe("Refreshed");
    expect(eventLabel("revoke_api_key", '{"key_type":"user","reason":"manual"}')).toBe("Revoked");
    expect(eventLabel("revoke_api_key", '{"key_type":"user","reason":"owner_blocked"}')).toBe(
      "Revoked — Owner blocked",
    );
    expect(eventLabel("revoke_api_key", '{"reason":"scope_deleted"}')).toBe(
      "Revoked — Space or organization deleted",
    );
  });

  it("reads other operations as words, and survives variables that are not what it expects", () => {
    expect(eventLabel("api_key.leak_reported")).toBe("Leak reported");
    expect(eventLabel("api_key.something_new")).toBe("Api key something new");
    expect(eventLabel("api_key.lookup")).toBe("Checked (Check a key)");
    expect(eventLabel("revoke_api_key", "not json")).toBe("Revoked");
    expect(eventLabel("revoke_api_key", '{"reason":"toString"}')).toBe("Revoked");
  });
});
