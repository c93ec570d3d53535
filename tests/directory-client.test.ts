/**
 * The directory through Arize's published TypeScript client 1.28 (generation D: role objects,
 * SCREAMING_SNAKE) against a real server.ts started with KEYDESK_DEMO=0: first run through the setup
 * link the server prints, then users, organizations, spaces, memberships, roles and audit logs, end to
 * end — on PGlite and, with TEST_DATABASE_URL, PostgreSQL.
 */
import * as ax from "@arizeai/ax-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { emptyDirectoryTargets, jsonHttp } from "../lib/testing/client-runs";
import { spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";

process.env.DISABLE_PRERELEASE_WARNING = "true";

const targets = emptyDirectoryTargets("keydesk-dir");

/** Runs `fn` and returns the error it throws (the test fails if it does not). */
async function failure(fn: () => Promise<unknown>): Promise<Error & { statusCode?: number }> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof Error) return err;
    throw err;
  }
  throw new Error("expected a failure");
}

describe.each(targets)(
  "ax-client 1.28 manages the directory of server.ts ($name, KEYDESK_DEMO=0)",
  (target) => {
    let server: SpawnedServer | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    let baseUrl = "";
    let client: ReturnType<typeof ax.createClient>;
    let adaId = "";

    const http = jsonHttp(() => baseUrl);

    beforeAll(async () => {
      const started = await target.start();
      cleanup = started.cleanup;
      server = await spawnServer({ env: started.env });
      baseUrl = server.baseUrl;
    });
    afterAll(async () => {
      await server?.stop();
      await cleanup?.();
    });

    it("first run: the server prints a one-time setup link; POST /v2/setup creates the account and its admin, then setup is gone", async () => {
      const running = server;
      if (!running) throw new Error("no server");
      const line = await vi.waitFor(
        () => {
          const match = /Set up Keydesk: (http:\/\/\S+)\/setup\?token=([A-Za-z0-9_-]+)/.exec(
            running.output(),
          );
          if (!match?.[2]) throw new Error("no setup line yet");
          return { token: match[2] };
        },
        { timeout: 20_000, interval: 50 },
      );
      expect((await http("GET", "/v2/setup")).status).toBe(200);
      const form = {
        account_name: "Initech",
        name: "Ada Admin",
        email: "ada@initech.example",
        password: "correct horse battery",
      };
      expect((await http("POST", "/v2/setup", undefined, { ...form, token: "not-the-token" })).status).toBe(
        403,
      );
      const done = await http("POST", "/v2/setup", undefined, { ...form, token: line.token });
      expect(done.status).toBe(201);
      const session = done.json as { token: string; user: { id: string } };
      adaId = session.user.id;
      expect((await http("GET", "/v2/setup")).status).toBe(404);
      expect((await http("POST", "/v2/setup", undefined, { ...form, token: line.token })).status).toBe(404);
      // Ada's own API key, for the client.
      const key = await http("POST", "/v2/api-keys", session.token, { name: "directory automation" });
      expect(key.status).toBe(201);
      client = ax.createClient({ apiKey: String(key.json.key), baseUrl });
    });

    it("organizations and spaces: create, list, get, update, is_private, delete", async () => {
      const org = await ax.createOrganization({ client, name: "Engineering", description: "Builders" });
      expect(org).toMatchObject({ name: "Engineering", description: "Builders" });
      expect((await ax.listOrganizations({ client })).data.map((o) => o.name)).toEqual(["Engineering"]);
      expect((await ax.getOrganization({ client, organization: org.id })).id).toBe(org.id);
      expect(
        (await ax.updateOrganization({ client, organization: org.id, description: "Makers" })).description,
      ).toBe("Makers");
      expect(await failure(() => ax.createOrganization({ client, name: "Engineering" }))).toBeInstanceOf(
        ax.APIError,
      );

      const space = await ax.createSpace({ client, name: "Prod", organizationId: org.id, isPrivate: true });
      expect(space).toMatchObject({ name: "Prod", isPrivate: true });
      expect((await ax.listSpaces({ client, organizationId: org.id })).data.map((s) => s.name)).toEqual([
        "Prod",
      ]);
      // Name resolution goes through GET /v2/spaces?name=…, as the client does it.
      expect((await ax.getSpace({ client, space: "Prod" })).id).toBe(space.id);
      expect(
        (await ax.updateSpace({ client, space: space.id, isPrivate: false, description: "Live" })).isPrivate,
      ).toBe(false);
      const scratch = await ax.createSpace({ client, name: "Scratch", organizationId: org.id });
      await ax.deleteSpace({ client, space: scratch.id });
      expect(await failure(() => ax.getSpace({ client, space: scratch.id }))).toBeInstanceOf(
        ax.NotFoundError,
      );
    });

    it("users: create in three invite modes with email idempotency, list, get, update, resend, reset, block", async () => {
      const temp = await ax.createUser({
        client,
        name: "Tess Temp",
        email: "tess@initech.example",
        role: { type: "PREDEFINED", name: "MEMBER" },
        inviteMode: "TEMPORARY_PASSWORD",
      });
      expect(temp).toMatchObject({
        status: "INVITED",
        role: { type: "PREDEFINED", name: "MEMBER" },
        inviteMode: "TEMPORARY_PASSWORD",
      });
      expect("temporaryPassword" in temp && typeof temp.temporaryPassword === "string").toBe(true);

      const linked = await ax.createUser({
        client,
        name: "Lin Link",
        email: "lin@initech.example",
        role: { type: "PREDEFINED", name: "ADMIN" },
        inviteMode: "EMAIL_LINK",
      });
      expect(linked).toMatchObject({ status: "INVITED", inviteMode: "EMAIL_LINK" });
      // A client of a known version gets exactly its schema's fields: no [ext] invitation_url.
      expect(linked).not.toHaveProperty("invitation_url");
      const again = await ax.createUser({
        client,
        name: "Lin Link",
        email: "LIN@initech.example",
        role: { type: "PREDEFINED", name: "ADMIN" },
        inviteMode: "EMAIL_LINK",
      });
      expect(again.id).toBe(linked.id);
      expect(again).not.toHaveProperty("inviteMode");

      const direct = await ax.createUser({
        client,
        name: "Dee Direct",
        email: "dee@initech.example",
        role: { type: "PREDEFINED", name: "MEMBER" },
        inviteMode: "NONE",
      });
      expect(direct.status).toBe("ACTIVE");
      const annotator = await failure(() =>
        ax.createUser({
          client,
          name: "An",
          email: "an@initech.example",
          role: { type: "PREDEFINED", name: "ANNOTATOR" },
          inviteMode: "NONE",
        }),
      );
      expect(annotator).toBeInstanceOf(ax.APIError);
      expect(annotator.statusCode).toBe(422);

      const invited = await ax.listUsers({ client, status: ["INVITED"] });
      expect(invited.data.map((u) => u.email).sort()).toEqual([
        "lin@initech.example",
        "tess@initech.example",
      ]);
      expect((await ax.listUsers({ client, email: "DEE@" })).data.map((u) => u.id)).toEqual([direct.id]);
      expect((await ax.getUser({ client, userId: adaId })).role).toEqual({
        type: "PREDEFINED",
        name: "ADMIN",
      });
      expect((await ax.updateUser({ client, userId: direct.id, name: "Dee D. Direct" })).name).toBe(
        "Dee D. Direct",
      );

      await ax.resendInvitation({ client, userId: linked.id });
      // No SMTP_URL: a reset link cannot be sent.
      expect(await failure(() => ax.resetPassword({ client, userId: direct.id }))).toBeInstanceOf(
        ax.BadRequestError,
      );

      await ax.deleteUser({ client, userId: temp.id });
      // Generation D has no "blocked" status: blocked people are 404 to it.
      expect(await failure(() => ax.getUser({ client, userId: temp.id }))).toBeInstanceOf(ax.NotFoundError);
      expect((await ax.listUsers({ client })).data.map((u) => u.id)).not.toContain(temp.id);
      expect(await failure(() => ax.deleteUser({ client, userId: adaId }))).toBeInstanceOf(
        ax.AuthorizationError,
      );
    });

    it("memberships: add (upsert) and remove in organizations and spaces, role objects both ways; roles; unsupported parts are 422", async () => {
      const org = (await ax.listOrganizations({ client, name: "Engineering" })).data[0];
      const space = (await ax.listSpaces({ client, name: "Prod" })).data[0];
      const dee = (await ax.listUsers({ client, email: "dee@" })).data[0];
      if (!org || !space || !dee) throw new Error("fixtures from the earlier tests are missing");

      // No automatic enrolment: the organization first.
      expect(
        await failure(() =>
          ax.addSpaceUser({
            client,
            spaceId: space.id,
            userId: dee.id,
            role: { type: "PREDEFINED", name: "MEMBER" },
          }),
        ),
      ).toBeInstanceOf(ax.BadRequestError);
      const orgMember = await ax.addOrganizationUser({
        client,
        organizationId: org.id,
        userId: dee.id,
        role: { type: "PREDEFINED", name: "READ_ONLY" },
      });
      expect(orgMember).toMatchObject({
        userId: dee.id,
        organizationId: org.id,
        role: { type: "PREDEFINED", name: "READ_ONLY" },
      });
      const upserted = await ax.addOrganizationUser({
        client,
        organizationId: org.id,
        userId: dee.id,
        role: { type: "PREDEFINED", name: "MEMBER" },
      });
      expect(upserted.role).toEqual({ type: "PREDEFINED", name: "MEMBER" });
      const spaceMember = await ax.addSpaceUser({
        client,
        spaceId: space.id,
        userId: dee.id,
        role: { type: "PREDEFINED", name: "ADMIN" },
      });
      expect(spaceMember).toMatchObject({ spaceId: space.id, role: { type: "PREDEFINED", name: "ADMIN" } });
      const custom = await failure(() =>
        ax.addSpaceUser({
          client,
          spaceId: space.id,
          userId: dee.id,
          role: { type: "CUSTOM", id: "Um9sZToxMjM=" },
        }),
      );
      expect(custom.statusCode).toBe(422);

      await ax.removeSpaceUser({ client, spaceId: space.id, userId: dee.id });
      expect(
        await failure(() => ax.removeSpaceUser({ client, spaceId: space.id, userId: dee.id })),
      ).toBeInstanceOf(ax.NotFoundError);
      await ax.removeOrganizationUser({ client, organizationId: org.id, userId: dee.id });

      const roles = await ax.listRoles({ client });
      expect(roles.data.map((r) => r.name)).toEqual(["ADMIN", "MEMBER", "READ_ONLY"]);
      expect(roles.data.every((r) => r.isPredefined)).toBe(true);
      const createRole = await failure(() =>
        ax.createRole({ client, name: "Data Scientist", permissions: ["PROJECT_READ"] }),
      );
      expect(createRole.statusCode).toBe(422);
    });

    it("audit logs: every change, newest first, in 1.28's shape; deleting the organization at the end", async () => {
      const logs = await ax.listAuditLogs({ client, operationType: "MUTATION", limit: 100 });
      const names = logs.data.map((l) => l.operationName);
      for (const op of [
        "create_organization",
        "create_space",
        "create_user",
        "add_space_user",
        "remove_organization_user",
        "delete_user",
      ])
        expect(names).toContain(op);
      expect(logs.data.every((l) => l.operationType === "MUTATION" && l.userId === adaId)).toBe(true);
      const times = logs.data.map((l) => l.createdAt.getTime());
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(JSON.stringify(logs.data)).not.toMatch(/temporary_password|correct horse/);

      const org = (await ax.listOrganizations({ client, name: "Engineering" })).data[0];
      if (!org) throw new Error("organization missing");
      await ax.deleteOrganization({ client, organization: org.id });
      expect((await ax.listOrganizations({ client })).data).toEqual([]);
    });
  },
);
