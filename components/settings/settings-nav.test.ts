import { describe, expect, it } from "vitest";
import { currentSettingsPage } from "./settings-nav";

describe("the Settings navigation's current page", () => {
  it("marks the section a path belongs to", () => {
    expect(currentSettingsPage("/settings/api-keys")).toBe("/settings/api-keys");
    expect(currentSettingsPage("/settings/members")).toBe("/settings/members");
    expect(currentSettingsPage("/settings/spaces")).toBe("/settings/spaces");
    expect(currentSettingsPage("/settings/key-policy")).toBe("/settings/key-policy");
    // A space's and an organization's own page belong to Organizations & Spaces.
    expect(currentSettingsPage("/settings/spaces/U3BhY2U6MQ==")).toBe("/settings/spaces");
    expect(currentSettingsPage("/settings/organizations/T3JnOjE=")).toBe("/settings/spaces");
  });

  it("marks nothing elsewhere, nor for look-alike paths", () => {
    expect(currentSettingsPage("/settings")).toBeNull();
    expect(currentSettingsPage("/settings/members-old")).toBeNull();
    expect(currentSettingsPage("/login")).toBeNull();
  });
});

describe("the Audit log navigation item", () => {
  it("marks the audit log page as its section", () => {
    expect(currentSettingsPage("/settings/audit-log")).toBe("/settings/audit-log");
  });
});
