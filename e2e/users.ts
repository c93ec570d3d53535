import path from "node:path";

export const DEMO_PASSWORD = "keydesk-demo";

export const USERS = {
  admin: { email: "admin@example.com", name: "Ada Admin" },
  member: { email: "member@example.com", name: "Max Member" },
  readOnly: { email: "readonly@example.com", name: "Riley Reader" },
} as const;
export type Role = keyof typeof USERS;

const authDir = path.join(import.meta.dirname, ".auth");
export const storageStatePath = (role: Role) => path.join(authDir, `${role}.json`);
