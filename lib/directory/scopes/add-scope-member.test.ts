/**
 * addScopeMember (POST /v2/{organizations,spaces}/{id}/users) over HTTP on the demo directory, on
 * PGlite and PostgreSQL: [ext] `join_organization` joins a space's organization in the same
 * transaction, and the role reader's codes are the keys' codes.
 */
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, organizationMemberships, spaceMemberships } from "../../db/schema";
import { testDatabases } from "../../testing/test-databases";
import { expectProblem, setupDemo, uuidOf, type Demo } from "../../testing/api-keys-test-kit";
import { decodeId } from "../../domain/ids";

const enc = encodeURIComponent;

describe.each(testDatabases())("addScopeMember ($name)", (database) => {
  let d: Demo;
  let research: string;
  let platform: string;

  beforeAll(async () => {
    d = await setupDemo(database);
    const res = await d.harness.request("GET", "/v2/organizations", { token: d.tokens.admin });
    const { organizations } = (await res.json()) as { organizations: { id: string; name: string }[] };
    research = organizations.find((o) => o.name === "Research")?.id ?? "";
    platform = organizations.find((o) => o.name === "Platform")?.id ?? "";
  });
  afterAll(() => d.harness.close());

  /** A new person of the account with no role anywhere: their public id and their row's uuid. */
  const newPerson = async () => {
    const res = await d.harness.request("POST", "/v2/users", {
      token: d.tokens.admin,
      body: { name: "Newcomer", email: `${randomUUID()}@example.com`, role: "member", invite_mode: "NONE" },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { id } = (await res.json()) as { id: string };
    return { id, uuid: uuidOf("User", id) };
  };
  const addToSpace = (token: string, space: string, body: Record<string, unknown>) =>
    d.harness.request("POST", `/v2/spaces/${enc(space)}/users`, { token, body });
  const orgUuid = (id: string) => decodeId("Organization", id) ?? "";

  const orgRole = async (organizationId: string, userId: string) =>
    (
      await d.harness.handle.db
        .select({ role: organizationMemberships.role })
        .from(organizationMemberships)
        .where(
          and(
            eq(organizationMemberships.organizationId, orgUuid(organizationId)),
            eq(organizationMemberships.userId, userId),
          ),
        )
    )[0]?.role ?? null;
  const spaceRole = async (spaceId: string, userId: string) =>
    (
      await d.harness.handle.db
        .select({ role: spaceMemberships.role })
        .from(spaceMemberships)
        .where(
          and(eq(spaceMemberships.spaceId, uuidOf("Space", spaceId)), eq(spaceMemberships.userId, userId)),
        )
    )[0]?.role ?? null;
  /** The audit rows of the memberships given to this person, oldest first, as operation names. */
  const auditOf = async (publicUserId: string) =>
    (await d.harness.handle.db.select().from(auditLog).orderBy(auditLog.at, auditLog.id))
      .filter((row) => JSON.stringify(row.details).includes(publicUserId))
      .map((row) => row.action);

  it("join_organization: a person outside the organization joins it as read-only and the space, one audit row each", async () => {
    const person = await newPerson();
    const res = await addToSpace(d.tokens.admin, d.spaceIds.Experiments, {
      user_id: person.id,
      role: "member",
      join_organization: true,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({
      user_id: person.id,
      space_id: d.spaceIds.Experiments,
      role: "member",
    });
    expect(await orgRole(research, person.uuid)).toBe("read-only");
    expect(await spaceRole(d.spaceIds.Experiments, person.uuid)).toBe("member");
    expect(await auditOf(person.id)).toEqual(["add_organization_user", "add_space_user"]);
  });

  it("join_organization leaves a member of the organization their role there, and writes no row for it", async () => {
    const person = await newPerson();
    const toOrg = await d.harness.request("POST", `/v2/organizations/${enc(research)}/users`, {
      token: d.tokens.admin,
      body: { user_id: person.id, role: "admin" },
    });
    expect(toOrg.status).toBe(200);
    const res = await addToSpace(d.tokens.admin, d.spaceIds.Experiments, {
      user_id: person.id,
      role: "read-only",
      join_organization: true,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await orgRole(research, person.uuid)).toBe("admin");
    expect(await auditOf(person.id)).toEqual(["add_organization_user", "add_space_user"]);
  });

  it("without the flag a person outside the organization is refused (400) as Arize's clients expect", async () => {
    const person = await newPerson();
    await expectProblem(
      await addToSpace(d.tokens.admin, d.spaceIds.Experiments, { user_id: person.id, role: "member" }),
      400,
      "invalid_request",
    );
    // Generation D's clients send no [ext] field either: the same refusal, in their shape.
    await expectProblem(
      await d.harness.request("POST", `/v2/spaces/${enc(d.spaceIds.Experiments)}/users`, {
        token: d.tokens.admin,
        headers: { "sdk-package-name": "arize", "sdk-version": "8.45.0" },
        body: { user_id: person.id, role: { type: "PREDEFINED", name: "MEMBER" } },
      }),
      400,
    );
    expect(await orgRole(research, person.uuid)).toBeNull();
    expect(await spaceRole(d.spaceIds.Experiments, person.uuid)).toBeNull();
  });

  it("a space admin who does not manage the organization's members cannot join anyone to it (403), and nothing is written", async () => {
    // Max is admin of Staging but only a member of Platform.
    const person = await newPerson();
    await expectProblem(
      await addToSpace(d.tokens.member, d.spaceIds.Staging, {
        user_id: person.id,
        role: "member",
        join_organization: true,
      }),
      403,
      "forbidden",
    );
    expect(await orgRole(platform, person.uuid)).toBeNull();
    expect(await spaceRole(d.spaceIds.Staging, person.uuid)).toBeNull();
    expect(await auditOf(person.id)).toEqual([]);
  });

  it("when the space's membership cannot be written, the organization's is not left behind", async () => {
    const person = await newPerson();
    // The database itself refuses this person's space membership, after the organization's is written.
    const db = d.harness.handle.db;
    await db.execute(
      sql.raw(`CREATE OR REPLACE FUNCTION keydesk_test_refuse_space_member() RETURNS trigger AS $$
        BEGIN
          IF NEW.user_id = '${person.uuid}' THEN RAISE EXCEPTION 'refused by the test'; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql`),
    );
    await db.execute(
      sql.raw(`CREATE TRIGGER keydesk_test_refuse_space_member BEFORE INSERT ON space_memberships
        FOR EACH ROW EXECUTE FUNCTION keydesk_test_refuse_space_member()`),
    );
    try {
      const res = await addToSpace(d.tokens.admin, d.spaceIds.Experiments, {
        user_id: person.id,
        role: "member",
        join_organization: true,
      });
      expect(res.status).toBeGreaterThanOrEqual(500);
    } finally {
      await db.execute(sql.raw("DROP TRIGGER keydesk_test_refuse_space_member ON space_memberships"));
      await db.execute(sql.raw("DROP FUNCTION keydesk_test_refuse_space_member()"));
    }
    expect(await orgRole(research, person.uuid)).toBeNull();
    expect(await spaceRole(d.spaceIds.Experiments, person.uuid)).toBeNull();
    expect(await auditOf(person.id)).toEqual([]);
  });

  it("CUSTOM and ANNOTATOR roles are not_supported (422) on memberships, as on keys", async () => {
    for (const role of [{ type: "CUSTOM", id: "Um9sZTox" }, "ANNOTATOR"]) {
      await expectProblem(
        await d.harness.request("POST", `/v2/organizations/${enc(platform)}/users`, {
          token: d.tokens.admin,
          body: { user_id: d.userIds.readOnly, role },
        }),
        422,
        "not_supported",
      );
    }
  });
});
