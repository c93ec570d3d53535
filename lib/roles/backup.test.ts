/** backup.ts, pure: who may take a backup of the database. */
import { describe, expect, it } from "vitest";
import { mayCreateBackup } from "./backup";
import { ACCOUNT_ROLES } from "./names";

describe("mayCreateBackup", () => {
  it("allows an account admin with a session or their user key", () => {
    expect(mayCreateBackup({ accountRole: "admin", credential: "session" })).toEqual({ allowed: true });
    expect(mayCreateBackup({ accountRole: "admin", credential: "user_key" })).toEqual({ allowed: true });
  });

  it("refuses every other account role, whatever the credential", () => {
    for (const accountRole of ACCOUNT_ROLES.filter((r) => r !== "admin"))
      for (const credential of ["session", "user_key"] as const)
        expect(mayCreateBackup({ accountRole, credential })).toEqual({
          allowed: false,
          reason: "Only account admins can take backups.",
        });
  });

  it("refuses a service key, even an admin's", () => {
    for (const accountRole of ACCOUNT_ROLES) {
      const decision = mayCreateBackup({ accountRole, credential: "service_key" });
      expect(decision.allowed).toBe(false);
      expect(decision).toMatchObject({ reason: expect.stringMatching(/^Service keys cannot take backups/) });
    }
  });
});
