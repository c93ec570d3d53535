import { describe, expect, it } from "vitest";
import { keyPolicyBody, keyPolicyForm, KeyPolicyFormSchema } from "./key-policy";

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
    expect(keyPolicyForm(body)).toEqual({ ...form, warningDays: "30, 7, 1" });
  });

  it("refuses what the API refuses, by field", () => {
    const fieldsOf = (values: Partial<typeof form>) => {
      const parsed = KeyPolicyFormSchema.safeParse({ ...form, ...values });
      return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join("."));
    };
    expect(fieldsOf({})).toEqual([]);
    expect(fieldsOf({ warningDays: "" })).toEqual([]);
    expect(fieldsOf({ warningDays: "1, 2, 3, 4, 5, 6" })).toEqual(["warningDays"]);
    expect(fieldsOf({ warningDays: "7, 7" })).toEqual(["warningDays"]);
    expect(fieldsOf({ warningDays: "0" })).toEqual(["warningDays"]);
    expect(fieldsOf({ warningDays: "seven" })).toEqual(["warningDays"]);
    expect(fieldsOf({ maxUser: "0" })).toEqual(["maxUser"]);
    expect(fieldsOf({ maxUser: "1.5" })).toEqual(["maxUser"]);
    expect(fieldsOf({ defaultUser: "120" })).toEqual(["defaultUser"]);
  });
});
