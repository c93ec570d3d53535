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

type Role = Viewer["organizations"][number]["role"];

/** An organization of the demo directory, with the viewer's role in it and in each of its spaces. */
const organization = (name: string, role: Role, spaces: [string, Role][]) => ({
  id: `org-${name.toLowerCase()}`,
  name,
  role,
  spaces: spaces.map(([space, spaceRole]) => ({
    id: `space-${space.toLowerCase()}`,
    name: space,
    role: spaceRole,
  })),
});

const credential = { type: "session" } as const;

/** A demo person as /v2/me describes them, signed in with a session: for the dashboard's unit tests. */
const viewer = (
  user: { id: string; name: string },
  account_role: Viewer["account_role"],
  organizations: Viewer["organizations"],
): Viewer => ({ user: { ...user, kind: "human" }, account_role, organizations, credential });

export const ada = viewer({ id: "user-ada", name: DEMO_USERS.admin.name }, "admin", [
  organization("Platform", "admin", [
    ["Production", "admin"],
    ["Staging", "admin"],
  ]),
  organization("Research", "admin", [["Experiments", "admin"]]),
]);

export const max = viewer({ id: "user-max", name: DEMO_USERS.member.name }, "member", [
  organization("Platform", "member", [
    ["Production", "member"],
    ["Staging", "admin"],
  ]),
  organization("Research", "read-only", [["Experiments", "read-only"]]),
]);

export const riley = viewer({ id: "user-riley", name: DEMO_USERS.readOnly.name }, "member", [
  organization("Platform", "read-only", [
    ["Production", "read-only"],
    ["Staging", "read-only"],
  ]),
]);

/** An account admin of a brand-new account: no organizations or spaces yet. */
export const newAdmin = viewer({ id: "user-new", name: "New Admin" }, "admin", []);

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
