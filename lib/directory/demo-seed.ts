import { randomUUID } from "node:crypto";
import { count, sql } from "drizzle-orm";
import { hashPassword } from "../auth/passwords";
import type { DatabaseHandle, Db } from "../db/client";
import {
  accounts,
  organizationMemberships,
  organizations,
  spaceMemberships,
  spaces,
  users,
} from "../db/schema";

export const DEMO_PASSWORD = "keydesk-demo";

export const DEMO_USERS = {
  admin: { email: "admin@example.com", name: "Ada Admin" },
  member: { email: "member@example.com", name: "Max Member" },
  readOnly: { email: "readonly@example.com", name: "Riley Reader" },
} as const;

/** Whether this process should create the demo directory in an empty database. */
export function demoWanted(handle: DatabaseHandle, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.KEYDESK_DEMO === "1") return true;
  if (env.KEYDESK_DEMO === "0") return false;
  return handle.embedded;
}

export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(accounts);
  return (row?.n ?? 0) === 0;
}

/**
 * The contract's demo directory: account Acme, organizations Platform (Production, Staging) and
 * Research (Experiments), and three people. Runs in one transaction; does nothing if any account exists.
 */
export async function seedDemoDirectory(db: Db): Promise<boolean> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction(async (tx) => {
    // Serialise concurrent first starts; the loser sees the winner's account and stops.
    await tx.execute(sql`lock table accounts in exclusive mode`);
    const [existing] = await tx.select({ n: count() }).from(accounts);
    if ((existing?.n ?? 0) > 0) return false;

    const base = Date.now();
    const at = (i: number) => new Date(base + i);
    const accountId = randomUUID();
    await tx.insert(accounts).values({ id: accountId, name: "Acme", createdAt: at(0) });

    // The demo's organizations and spaces, oldest first.
    const entry = (id: string, name: string, description: string, i: number) => ({
      id,
      name,
      description,
      createdAt: at(i),
    });
    const platform = randomUUID();
    const research = randomUUID();
    await tx
      .insert(organizations)
      .values(
        [
          entry(platform, "Platform", "Production services and their staging twin.", 1),
          entry(research, "Research", "Experiments and prototypes.", 2),
        ].map((org) => ({ ...org, accountId })),
      );
    const production = randomUUID();
    const staging = randomUUID();
    const experiments = randomUUID();
    await tx.insert(spaces).values([
      { ...entry(production, "Production", "Live traffic.", 3), organizationId: platform },
      { ...entry(staging, "Staging", "Pre-release checks.", 4), organizationId: platform },
      { ...entry(experiments, "Experiments", "Research workloads.", 5), organizationId: research },
    ]);

    const ada = randomUUID();
    const max = randomUUID();
    const riley = randomUUID();
    const human = { accountId, kind: "human" as const, passwordHash };
    await tx.insert(users).values([
      { id: ada, ...human, ...DEMO_USERS.admin, accountRole: "admin", createdAt: at(6) },
      { id: max, ...human, ...DEMO_USERS.member, accountRole: "member", createdAt: at(7) },
      { id: riley, ...human, ...DEMO_USERS.readOnly, accountRole: "member", createdAt: at(8) },
    ]);
    // A membership carries its user's created_at and kind (the member lists' order; see the schema).
    const asMax = { userId: max, userCreatedAt: at(7), userKind: "human" as const };
    const asRiley = { userId: riley, userCreatedAt: at(8), userKind: "human" as const };
    await tx.insert(organizationMemberships).values([
      { ...asMax, organizationId: platform, role: "member" },
      { ...asMax, organizationId: research, role: "read-only" },
      { ...asRiley, organizationId: platform, role: "read-only" },
    ]);
    await tx.insert(spaceMemberships).values([
      { ...asMax, spaceId: production, role: "member" },
      { ...asMax, spaceId: staging, role: "admin" },
      { ...asMax, spaceId: experiments, role: "read-only" },
      { ...asRiley, spaceId: production, role: "read-only" },
      { ...asRiley, spaceId: staging, role: "read-only" },
    ]);
    return true;
  });
}
