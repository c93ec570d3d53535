import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "../testing/test-databases";
import { decodeId } from "../domain/ids";
import { encodeCursor } from "../domain/pagination";
import { setupDemo, meOf, type Demo } from "../testing/api-keys-test-kit";

/**
 * The people's list and the member lists, walked page by page: oldest first by (created_at, id),
 * people created in the same millisecond ordered by id, bots never listed, statuses exact at the
 * clock's time, and each cursor the position of the page's last person (as it always was).
 */

interface Person {
  id: string;
  created_at: string;
  status: string;
}
interface Page {
  users?: Person[];
  memberships?: { user_id: string; user: { status: string } }[];
  pagination: { has_more: boolean; next_cursor?: string };
}

const T0 = Date.parse("2026-03-01T00:00:00.000Z");
const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;

describe.each(testDatabases())("people lists in order, walked with cursors ($name)", (database) => {
  let demo: Demo;
  let admin: string;
  let platform: string;
  let staging: string;
  /** Everyone of the account, created here or by the demo, with their status at the final clock. */
  const people: { id: string; createdAt: Date; status: string; name: string }[] = [];

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await demo.harness.request(method, path, { token: admin, body });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return res.status === 204 ? undefined : ((await res.json()) as unknown);
  };

  const create = async (name: string, inviteMode: "NONE" | "EMAIL_LINK") => {
    const user = (await call("POST", "/v2/users", {
      name,
      email: `${name}@lists.example`,
      role: "member",
      invite_mode: inviteMode,
    })) as Person;
    return user.id;
  };

  beforeAll(async () => {
    demo = await setupDemo(database, { now: new Date(T0).toISOString() });
    admin = demo.tokens.admin;
    const me = await meOf(demo.harness, admin);
    platform = me.organizations.find((o) => o.name === "Platform")?.id ?? "";
    staging = demo.spaceIds.Staging;

    const clock = demo.harness.clock;
    const at = (ms: number) => clock.set(new Date(T0 + ms).toISOString());
    at(1 * SECOND);
    const ann = await create("ann", "NONE");
    at(2 * SECOND);
    const bea = await create("bea", "EMAIL_LINK");
    // Three people in the same millisecond: their ids decide their order.
    at(3 * SECOND);
    const cid = await create("cid", "EMAIL_LINK");
    const dan = await create("dan", "NONE");
    const eve = await create("eve", "NONE");
    at(4 * SECOND);
    const fay = await create("fay", "NONE");

    // Joined in the opposite order of their creation: the lists' order is the people's, not the joins'.
    for (const id of [fay, eve, dan, cid, bea, ann]) {
      await call("POST", `/v2/organizations/${encodeURIComponent(platform)}/users`, {
        user_id: id,
        role: "member",
      });
      await call("POST", `/v2/spaces/${encodeURIComponent(staging)}/users`, {
        user_id: id,
        role: "read-only",
      });
    }
    // A service key of Staging: its bot is a member of Platform and Staging, and never listed.
    await call("POST", "/v2/api-keys", { name: "lists bot", key_type: "service", space_id: staging });
    // Blocked: gone from the member lists, listed among the people only when asked for.
    await call("DELETE", `/v2/users/${encodeURIComponent(fay)}`);

    // Bea's invitation (7 days from second 2) has expired; Cid's (from second 3) has not.
    at(7 * DAY + 2.5 * SECOND);
    admin = await demo.harness.signIn("admin"); // the first session has expired by now
    for (const id of [
      demo.userIds.admin,
      demo.userIds.member,
      demo.userIds.readOnly,
      ann,
      bea,
      cid,
      dan,
      eve,
      fay,
    ]) {
      const user = (await call("GET", `/v2/users/${encodeURIComponent(id)}`)) as Person & { name: string };
      people.push({ id, createdAt: new Date(user.created_at), status: user.status, name: user.name });
    }
    const uuid = (id: string) => decodeId("User", id) ?? "";
    people.sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (uuid(a.id) < uuid(b.id) ? -1 : 1),
    );
    const statusOf = Object.fromEntries(people.map((p) => [p.name, p.status]));
    expect(statusOf).toMatchObject({
      ann: "active",
      bea: "expired",
      cid: "invited",
      dan: "active",
      fay: "blocked",
    });
  });
  afterAll(() => demo.harness.close());

  /** Every page of `path` with `limit`, checking each cursor; the ids in order and their statuses. */
  const walk = async (path: string, limit: number) => {
    const seen: { id: string; status: string }[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const query = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const body = (await call("GET", `${path}${path.includes("?") ? "&" : "?"}${query}`)) as Page;
      const items =
        body.users?.map((u) => ({ id: u.id, status: u.status })) ??
        body.memberships?.map((m) => ({ id: m.user_id, status: m.user.status })) ??
        [];
      expect(items.length).toBeLessThanOrEqual(limit);
      seen.push(...items);
      if (!body.pagination.has_more) {
        expect(body.pagination.next_cursor).toBeUndefined();
        return seen;
      }
      const last = people.find((p) => p.id === items[items.length - 1]?.id);
      if (!last) throw new Error("a page ended with someone unknown");
      expect(body.pagination.next_cursor).toBe(
        encodeCursor({ createdAt: last.createdAt, id: decodeId("User", last.id) ?? "" }),
      );
      cursor = body.pagination.next_cursor;
    }
    throw new Error(`${path} did not end`);
  };

  const expected = (keep: (p: (typeof people)[number]) => boolean) =>
    people.filter(keep).map((p) => ({ id: p.id, status: p.status }));

  it.each([1, 2, 50])("a space's members, limit=%i", async (limit) => {
    const members = new Set([demo.userIds.member, demo.userIds.readOnly]);
    expect(await walk(`/v2/spaces/${encodeURIComponent(staging)}/users`, limit)).toEqual(
      expected((p) => members.has(p.id) || ["ann", "bea", "cid", "dan", "eve"].includes(p.name)),
    );
  });

  it.each([1, 3])("an organization's members, limit=%i", async (limit) => {
    const members = new Set([demo.userIds.member, demo.userIds.readOnly]);
    expect(await walk(`/v2/organizations/${encodeURIComponent(platform)}/users`, limit)).toEqual(
      expected((p) => members.has(p.id) || ["ann", "bea", "cid", "dan", "eve"].includes(p.name)),
    );
  });

  it.each([
    ["", (s: string) => s !== "blocked"],
    ["include=blocked", () => true],
    ["status=INVITED", (s: string) => s === "invited"],
    ["status=EXPIRED", (s: string) => s === "expired"],
    ["status=invited,expired", (s: string) => s === "invited" || s === "expired"],
    ["status=active,expired", (s: string) => s === "active" || s === "expired"],
    ["status=blocked&include=blocked", (s: string) => s === "blocked"],
  ] as const)("GET /v2/users?%s, limit=1 and 2", async (query, keep) => {
    for (const limit of [1, 2])
      expect(await walk(`/v2/users${query ? `?${query}` : ""}`, limit)).toEqual(
        expected((p) => keep(p.status)),
      );
  });

  it("GET /v2/users by email, walked", async () => {
    expect(await walk("/v2/users?email=%40LISTS.example", 2)).toEqual(
      expected((p) => p.status !== "blocked" && ["ann", "bea", "cid", "dan", "eve"].includes(p.name)),
    );
  });
});
