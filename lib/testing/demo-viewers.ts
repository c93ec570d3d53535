/**
 * The demo directory's people (lib/directory/demo-seed.ts), the one fixture kit for every kind of
 * test: who they are and how they sign in (the API suites, the whole-server tests and Playwright's
 * auth.setup.ts), and what /v2/me says of them (the dashboard's unit tests).
 */
import type { ApiKeyRow, Viewer } from "@/components/api-keys/types";
import { DEMO_USERS } from "../directory/demo-seed";

export { DEMO_PASSWORD, DEMO_USERS } from "../directory/demo-seed";

/** A demo person: admin (Ada Admin), member (Max Member), readOnly (Riley Reader). */
export type DemoUser = keyof typeof DEMO_USERS;
export const ALL_DEMO_USERS = Object.keys(DEMO_USERS) as DemoUser[];

/** The demo directory's people as /v2/me describes them, for the dashboard's unit tests. */
const platform = (
  role: "admin" | "member" | "read-only",
  spaces: [string, "admin" | "member" | "read-only"][],
) => ({
  id: "org-platform",
  name: "Platform",
  role,
  spaces: spaces.map(([name, spaceRole]) => ({ id: `space-${name.toLowerCase()}`, name, role: spaceRole })),
});

const credential = { type: "session" } as const;

export const ada: Viewer = {
  user: { id: "user-ada", name: DEMO_USERS.admin.name, kind: "human" },
  account_role: "admin",
  organizations: [
    platform("admin", [
      ["Production", "admin"],
      ["Staging", "admin"],
    ]),
    {
      id: "org-research",
      name: "Research",
      role: "admin",
      spaces: [{ id: "space-experiments", name: "Experiments", role: "admin" }],
    },
  ],
  credential,
};

export const max: Viewer = {
  user: { id: "user-max", name: DEMO_USERS.member.name, kind: "human" },
  account_role: "member",
  organizations: [
    platform("member", [
      ["Production", "member"],
      ["Staging", "admin"],
    ]),
    {
      id: "org-research",
      name: "Research",
      role: "read-only",
      spaces: [{ id: "space-experiments", name: "Experiments", role: "read-only" }],
    },
  ],
  credential,
};

export const riley: Viewer = {
  user: { id: "user-riley", name: DEMO_USERS.readOnly.name, kind: "human" },
  account_role: "member",
  organizations: [
    platform("read-only", [
      ["Production", "read-only"],
      ["Staging", "read-only"],
    ]),
  ],
  credential,
};

/** An account admin of a brand-new account: no organizations or spaces yet. */
export const newAdmin: Viewer = {
  user: { id: "user-new", name: "New Admin", kind: "human" },
  account_role: "admin",
  organizations: [],
  credential,
};

export const bot: Viewer = {
  ...max,
  user: { id: "user-bot", name: "Bot", kind: "bot" },
  credential: { type: "service_key" },
};

export function key(overrides: Partial<ApiKeyRow> = {}): ApiKeyRow {
  return {
    id: "key-1",
    name: "A key",
    key_type: "user",
    status: "active",
    redacted_key: "ak-abc...xyz",
    created_at: "2026-01-01T00:00:00.000Z",
    created_by_user_id: "user-max",
    ...overrides,
  };
}
