import { describe, expect, it } from "vitest";
import { keyPolicyBody, keyPolicyForm, keyPolicyFormErrors } from "./key-policy-rules";
import { KeyPolicySchema } from "./key-policy";

const form = {
  maxUser: "90",
  maxService: "",
  defaultUser: "30",
  defaultService: "",
  warningDays: "30, 7 1",
  leakAction: "notify" as const,
};

describe("the key policy form", () => {
  it("turns its text into the API's body (empty = none) and back", () => {
    const body = keyPolicyBody(form);
    expect(body).toEqual({
      max_lifetime_days: { user: 90, service: null },
      default_lifetime_days: { user: 30, service: null },
      warning_days: [30, 7, 1],
      leak_action: "notify",
    });
    expect(KeyPolicySchema.safeParse(body).success).toBe(true);
    expect(keyPolicyForm(body)).toEqual({ ...form, warningDays: "30, 7, 1" });
  });

  it("refuses what the API refuses, by field", () => {
    const fieldsOf = (values: Partial<typeof form>) =>
      Object.keys(keyPolicyFormErrors({ ...form, ...values }));
    expect(fieldsOf({})).toEqual([]);
    expect(fieldsOf({ warningDays: "" })).toEqual([]);
    for (const warningDays of ["1, 2, 3, 4, 5, 6", "7, 7", "0", "366", "seven"]) {
      expect(fieldsOf({ warningDays }), warningDays).toEqual(["warningDays"]);
      // The API's schema refuses the same list.
      if (warningDays !== "seven")
        expect(KeyPolicySchema.safeParse(keyPolicyBody({ ...form, warningDays })).success).toBe(false);
    }
    expect(fieldsOf({ maxUser: "0" })).toEqual(["maxUser"]);
    expect(fieldsOf({ maxUser: "1.5" })).toEqual(["maxUser"]);
    expect(fieldsOf({ defaultUser: "120" })).toEqual(["defaultUser"]);
  });
});
