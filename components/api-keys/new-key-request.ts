import { expiresAtFor, type NewApiKeyForm } from "@/lib/schemas/api-key-forms";
import type { CreateApiKeySchema } from "@/lib/schemas/api-keys";
import type { z } from "zod";

export type CreateKeyRequest = z.input<typeof CreateApiKeySchema>;

/**
 * The New API Key form's values → the keys API's create body. A user key carries no space or roles;
 * empty optional fields are left out; "Never" sends no expiry.
 */
export function createKeyRequest(values: NewApiKeyForm, now = new Date()): CreateKeyRequest {
  const expiresAt = expiresAtFor(values.expiration, values.expirationDate, now);
  return {
    name: values.name,
    ...(values.description ? { description: values.description } : {}),
    key_type: values.keyType,
    ...(expiresAt ? { expires_at: expiresAt } : {}),
    ...(values.keyType === "service"
      ? {
          space_id: values.spaceId,
          roles: { space_role: values.spaceRole, org_role: values.orgRole, account_role: values.accountRole },
        }
      : {}),
  };
}

/** API field → form field, so a server error lands on the field it concerns. */
export const FIELD_FROM_API: Record<string, keyof NewApiKeyForm> = {
  name: "name",
  description: "description",
  expires_at: "expirationDate",
  space_id: "spaceId",
  "roles.space_role": "spaceRole",
  "roles.org_role": "orgRole",
  "roles.account_role": "accountRole",
};
