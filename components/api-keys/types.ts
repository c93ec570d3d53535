import type { ApiKeyCreatedJson, ApiKeyJson } from "@/lib/schemas/api-keys";
import type { Me } from "@/lib/schemas/directory";

export type ApiKeyRow = ApiKeyJson;
export type Viewer = Me;
/** The key object of a create or refresh, without its secret: this is all that ever reaches the cache. */
export type IssuedKey = Omit<ApiKeyCreatedJson, "key">;

export interface Filters {
  tab: "user" | "service";
  spaceId?: string;
  status: "active" | "revoked";
  search?: string;
}
