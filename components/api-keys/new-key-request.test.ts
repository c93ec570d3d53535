import { describe, expect, it } from "vitest";
import { CreateApiKeySchema } from "@/lib/schemas/api-keys";
import type { NewApiKeyForm } from "@/lib/schemas/api-key-forms";
import { createKeyRequest } from "./new-key-request";

const NOW = new Date("2026-06-01T12:00:00.000Z");
const form = (overrides: Partial<NewApiKeyForm> = {}): NewApiKeyForm => ({
  keyType: "user",
  name: "CI",
  description: "",
  expiration: "never",
  expirationDate: "",
  spaceId: "space-production",
  spaceRole: "admin",
  orgRole: "member",
  accountRole: "member",
  ...overrides,
});

describe("createKeyRequest", () => {
  it("sends a user key without space, roles, empty description or expiry", () => {
    const body = createKeyRequest(form(), NOW);
    expect(body).toEqual({ name: "CI", key_type: "user" });
    expect(CreateApiKeySchema.safeParse(body).success).toBe(true);
  });

  it("sends a service key with its space, roles, description and expiry", () => {
    const body = createKeyRequest(
      form({ keyType: "service", description: "nightly", expiration: "30" }),
      NOW,
    );
    expect(body).toEqual({
      name: "CI",
      description: "nightly",
      key_type: "service",
      expires_at: "2026-07-01T12:00:00.000Z",
      space_id: "space-production",
      roles: { space_role: "admin", org_role: "member", account_role: "member" },
    });
    expect(CreateApiKeySchema.safeParse(body).success).toBe(true);
  });
});
