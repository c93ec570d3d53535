/**
 * Keyset pagination of GET /v2/api-keys stays exact while keys are being created: a walk with limit=7
 * yields every key that existed before it started exactly once, and never any key twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "../testing/test-databases";
import type { ApiKeyCreatedJson, ApiKeyListJson } from "../schemas/api-keys";
import { createHarness, type ApiHarness } from "../testing/api-harness";

const PAGE = 7;
const noLimits = { keys: { changesPerCaller: { limit: 1_000_000, windowMs: 60_000 } } };

interface Walk {
  ids: string[];
  pages: number;
}

describe.each(testDatabases())("pagination under concurrent inserts ($name)", (database) => {
  let harness: ApiHarness;
  let admin: string;
  let member: string;
  let productionId: string;

  beforeAll(async () => {
    harness = await createHarness(database, { config: noLimits });
    admin = await harness.signIn("admin");
    member = await harness.signIn("member");
    const res = await harness.request("GET", "/v2/spaces?name=Production", { token: admin });
    const body = (await res.json()) as { spaces: { id: string; name: string }[] };
    const production = body.spaces.find((s) => s.name === "Production");
    if (!production) throw new Error("no Production space");
    productionId = production.id;
  });
  afterAll(() => harness.close());

  async function create(token: string, body: Record<string, unknown>): Promise<string> {
    const res = await harness.request("POST", "/v2/api-keys", { token, body });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as ApiKeyCreatedJson).id;
  }

  /** Walks every page of `query`, handing control to `between` after each page. */
  async function walk(token: string, query: string, between: () => Promise<void>): Promise<Walk> {
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const qs = `${query}&limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const res = await harness.request("GET", `/v2/api-keys?${qs}`, { token });
      expect(res.status).toBe(200);
      const page = (await res.json()) as ApiKeyListJson;
      pages++;
      expect(page.api_keys.length).toBeLessThanOrEqual(PAGE);
      expect(page.pagination.has_more).toBe(page.pagination.next_cursor !== undefined);
      if (page.pagination.has_more) expect(page.api_keys.length).toBe(PAGE);
      ids.push(...page.api_keys.map((k) => k.id));
      cursor = page.pagination.next_cursor;
      if (!cursor) return { ids, pages };
      await between();
    }
  }

  /**
   * Runs a walk and an insert loop at the same time. The insert loop starts once the walk has its first
   * page (so every insert lands after the walk has taken its position) and keeps creating keys until
   * the walk is over, yielding to it between inserts; `tick` decides whether time moves before each.
   */
  async function walkWhileInserting(options: {
    walker: string;
    query: string;
    insert: (i: number) => Promise<string>;
    tick: (i: number) => void;
  }): Promise<{ walk: Walk; during: string[] }> {
    const during: string[] = [];
    let done = false;
    let firstPageRead = () => undefined as void;
    const started = new Promise<void>((resolve) => (firstPageRead = resolve));
    const inserter = (async () => {
      await started;
      for (let i = 0; !done; i++) {
        options.tick(i);
        during.push(await options.insert(i));
        // Let the walker take its next page before the next insert.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    })();
    const result = await walk(options.walker, options.query, async () => {
      firstPageRead();
      // After each page, make sure at least one insert lands before the next page.
      const before = during.length;
      while (during.length === before && !done) await new Promise<void>((resolve) => setImmediate(resolve));
    });
    done = true;
    firstPageRead();
    await inserter;
    return { walk: result, during };
  }

  function expectExact(walked: Walk, existing: string[], during: string[]) {
    const seen = new Set<string>();
    const duplicates = walked.ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
    expect(duplicates).toEqual([]);
    const missing = existing.filter((id) => !seen.has(id));
    expect(missing).toEqual([]);
    const allowed = new Set([...existing, ...during]);
    expect(walked.ids.filter((id) => !allowed.has(id))).toEqual([]);
    // The walk really ran alongside the inserts, over several pages.
    expect(during.length).toBeGreaterThanOrEqual(walked.pages - 1);
    expect(walked.pages).toBeGreaterThan(existing.length / PAGE);
  }

  it("own user keys, time moving on between inserts (new keys sort first)", async () => {
    const existing: string[] = [];
    for (let i = 0; i < 40; i++) {
      harness.clock.advance(i % 3 === 0 ? 1 : 0);
      existing.push(await create(member, { name: `before ${i}` }));
    }
    const { walk: walked, during } = await walkWhileInserting({
      walker: member,
      query: "key_type=user",
      insert: (i) => create(member, { name: `during ${i}` }),
      tick: () => harness.clock.advance(1),
    });
    expectExact(walked, existing, during);
    // New keys are newer than the walk's position: none of them shows up.
    expect(walked.ids.filter((id) => during.includes(id))).toEqual([]);
    expect(walked.ids.length).toBe(existing.length);
  });

  it("own user keys, all at one instant (order rests on the id tie-break)", async () => {
    harness.clock.advance(60_000);
    const existing: string[] = [];
    const walker = await harness.signIn("readOnly");
    for (let i = 0; i < 30; i++) existing.push(await create(walker, { name: `tied ${i}` }));
    const { walk: walked, during } = await walkWhileInserting({
      walker,
      query: "key_type=user",
      insert: (i) => create(walker, { name: `tied during ${i}` }),
      tick: () => undefined,
    });
    expectExact(walked, existing, during);
  });

  it("a space's service keys, while another user creates service keys there", async () => {
    harness.clock.advance(60_000);
    const existing: string[] = [];
    for (let i = 0; i < 25; i++) {
      if (i % 2) harness.clock.advance(1);
      existing.push(
        await create(i % 2 ? admin : member, {
          name: `svc ${i}`,
          key_type: "service",
          space_id: productionId,
        }),
      );
    }
    const { walk: walked, during } = await walkWhileInserting({
      walker: admin,
      query: `space_id=${encodeURIComponent(productionId)}`,
      insert: (i) => create(member, { name: `svc during ${i}`, key_type: "service", space_id: productionId }),
      // Sometimes the same instant as the walk's keys, sometimes later.
      tick: (i) => harness.clock.advance(i % 2),
    });
    expectExact(walked, existing, during);
  });
});
