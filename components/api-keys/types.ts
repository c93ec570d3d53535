import type { ApiKeyCreatedJson, ApiKeyJson, KeyStatusFilter } from "@/lib/schemas/api-keys";
import type { Me } from "@/lib/schemas/directory";

export type ApiKeyRow = ApiKeyJson;
export type Viewer = Me;
/** The key object of a create or refresh, without its secret: this is all that ever reaches the cache. */
export type IssuedKey = Omit<ApiKeyCreatedJson, "key">;

export interface Filters {
  tab: "user" | "service";
  /** Service Keys tab: one space; absent = every space the viewer can see. */
  spaceId?: string;
  status: KeyStatusFilter;
  search?: string;
}
