import { eq } from "drizzle-orm";
import { loadAccess } from "../auth/access";
import type { Principal } from "../auth/principal";
import { systemClock, type Clock } from "../clock";
import type { Db } from "../db/client";
import { users } from "../db/schema";
import { encodeId } from "../domain/ids";
import { RateLimiter } from "../domain/rate-limit";
import type { ScopeRole } from "../roles/names";
import { createApiKey, defaultKeyPolicy, revokeApiKey, type KeyDeps } from "./api-keys";

const DAY_MS = 86_400_000;

/** Who the demo's keys belong to: the demo directory's people, by email (lib/directory/demo-seed.ts). */
export interface DemoKeyOwners {
  admin: string;
  member: string;
  readOnly: string;
}

type Owner = keyof DemoKeyOwners;

interface DemoKey {
  owner: Owner;
  name: string;
  description: string;
  /** Days before now the key was made (the list then reads like an account in use). */
  madeDaysAgo: number;
  /** Lifetime in days from when it was made; null: never expires. */
  lifetimeDays: number | null;
  /** A service key's space (by name) and role there; absent: a user key. */
  service?: { space: string; role: ScopeRole };
  revoked?: true;
}

/**
 * The demo's keys: user keys for each person, service keys in three spaces with different roles, one
 * expiring within a week and one revoked. Max's and Riley's lie within their own roles, as the
 * dashboard would have let them make them.
 */
const DEMO_KEYS: DemoKey[] = [
  {
    owner: "admin",
    name: "Ada's laptop",
    description: "Scripts run from Ada's machine.",
    madeDaysAgo: 40,
    lifetimeDays: 180,
  },
  {
    owner: "admin",
    name: "Billing exporter",
    description: "Nightly export of usage to billing.",
    madeDaysAgo: 30,
    lifetimeDays: 365,
    service: { space: "Production", role: "admin" },
  },
  {
    owner: "admin",
    name: "Notebook sync",
    description: "Copies experiment results each hour.",
    madeDaysAgo: 85,
    lifetimeDays: 90,
    service: { space: "Experiments", role: "read-only" },
  },
  {
    owner: "admin",
    name: "Old deploy bot",
    description: "Replaced by Staging deployer.",
    madeDaysAgo: 60,
    lifetimeDays: 365,
    service: { space: "Staging", role: "member" },
    revoked: true,
  },
  {
    owner: "member",
    name: "Max's CLI",
    description: "The ax CLI on Max's machine.",
    madeDaysAgo: 12,
    lifetimeDays: 90,
  },
  {
    owner: "member",
    name: "Staging deployer",
    description: "CI deploys to Staging.",
    madeDaysAgo: 8,
    lifetimeDays: 180,
    service: { space: "Staging", role: "admin" },
  },
  {
    owner: "member",
    name: "Metrics reader",
    description: "Dashboards read Production's metrics.",
    madeDaysAgo: 5,
    lifetimeDays: null,
    service: { space: "Production", role: "read-only" },
  },
  {
    owner: "readOnly",
    name: "Riley's notebook",
    description: "Read-only analysis.",
    madeDaysAgo: 3,
    lifetimeDays: 30,
  },
];

/**
 * Makes the demo's keys through the same domain functions as the API (`createApiKey`, `revokeApiKey`),
 * so they are real rows with their audit rows and bot users. Each secret is dropped as soon as it is
 * made: it is never returned, logged or stored; only its digest and redacted form remain. Answers how
 * many keys it made. Meant for a database whose demo directory was just created.
 */
export async function seedDemoKeys(input: { db: Db; owners: DemoKeyOwners; clock?: Clock }): Promise<number> {
  const now = (input.clock ?? systemClock).now().getTime();
  const principals = new Map<Owner, Principal>();
  for (const owner of Object.keys(input.owners) as Owner[]) {
    const [row] = await input.db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, input.owners[owner]));
    const access = row ? await loadAccess(input.db, row.id) : null;
    if (!access) throw new Error(`demo keys: no active demo person ${input.owners[owner]}`);
    principals.set(owner, { ...access, credential: { type: "session" } });
  }

  let made = 0;
  for (const demo of DEMO_KEYS) {
    const principal = principals.get(demo.owner);
    if (!principal) continue;
    // Each key is made at its own moment in the past, so its audit row and expiry agree with it.
    const clock: Clock = { now: () => new Date(now - demo.madeDaysAgo * DAY_MS) };
    const deps: KeyDeps = {
      db: input.db,
      clock,
      limiter: new RateLimiter(input.db, clock),
      policy: defaultKeyPolicy,
    };
    const spaceId = demo.service ? spaceIdOf(principal, demo.service.space) : undefined;
    const { key } = await createApiKey(deps, {
      principal,
      name: demo.name,
      description: demo.description,
      keyType: demo.service ? "service" : "user",
      expiresAt:
        demo.lifetimeDays === null
          ? undefined
          : new Date(now - demo.madeDaysAgo * DAY_MS + demo.lifetimeDays * DAY_MS),
      spaceId,
      roles: demo.service ? { spaceRole: demo.service.role } : undefined,
    });
    if (demo.revoked) {
      // Revoked two days after it was made.
      const later: Clock = { now: () => new Date(now - (demo.madeDaysAgo - 2) * DAY_MS) };
      await revokeApiKey({ ...deps, clock: later }, { principal, keyId: encodeId("ApiKey", key.id) });
    }
    made++;
  }
  return made;
}

function spaceIdOf(principal: Principal, name: string): string {
  for (const organization of principal.organizations) {
    const space = organization.spaces.find((s) => s.name === name);
    if (space) return encodeId("Space", space.id);
  }
  throw new Error(`demo keys: ${principal.user.email ?? principal.user.name} cannot reach space ${name}`);
}

/**
 * Whether the demo gets its keys too: `KEYDESK_DEMO_KEYS=1`, which `npm start` sets unless told
 * otherwise. The test servers leave it off, so suites that count keys in the demo start from none.
 */
export function demoKeysWanted(env: Record<string, string | undefined> = process.env): boolean {
  return env.KEYDESK_DEMO_KEYS === "1";
}
