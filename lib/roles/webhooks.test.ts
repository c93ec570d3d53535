import { describe, expect, it } from "vitest";
import { SCOPE_ROLES } from "./names";
import { mayManageWebhooks, mayOpenWebhooks } from "./webhooks";

describe("who manages webhooks", () => {
  it("an organization's admins only (account admins are admin of every organization)", () => {
    for (const role of SCOPE_ROLES) expect(mayManageWebhooks(role).allowed, role).toBe(role === "admin");
    expect(mayManageWebhooks(null)).toEqual({ allowed: false, reason: expect.stringMatching(/admins/) });
  });

  it("opens the Webhooks page for an admin of some organization", () => {
    expect(mayOpenWebhooks({ organizations: [{ role: "member" }, { role: "admin" }] })).toBe(true);
    expect(mayOpenWebhooks({ organizations: [{ role: "member" }, { role: "read-only" }] })).toBe(false);
    expect(mayOpenWebhooks({ organizations: [] })).toBe(false);
  });
});
