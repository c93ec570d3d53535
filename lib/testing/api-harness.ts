import { ManualClock } from "../clock";
import { seedDemoDirectory } from "../directory/demo-seed";
import type { TestDatabase, TestDatabaseHandle } from "./test-databases";
import { createApi, type CreateApiOptions } from "../api/app";
import { DEMO_PASSWORD, DEMO_USERS, type DemoUser } from "./demo-viewers";

export type { DemoUser };

export interface ApiHarness {
  app: ReturnType<typeof createApi>;
  handle: TestDatabaseHandle;
  clock: ManualClock;
  /** Signs a demo user in through the API and returns the session token. */
  signIn(user: DemoUser): Promise<string>;
  /** An in-process request; `body` is sent as JSON unless it is a string. */
  request(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  close(): Promise<void>;
}

/** A fresh database with the demo directory, and the keys API over it with a manual clock. */
export async function createHarness(
  database: TestDatabase,
  options: { config?: CreateApiOptions["config"]; now?: string } = {},
): Promise<ApiHarness> {
  const handle = await database.open();
  await seedDemoDirectory(handle.db);
  const clock = new ManualClock(options.now ?? new Date().toISOString());
  // In-process requests all come from one "address"; suites that probe bad credentials by the
  // hundred would trip the per-address throttle, so it is off unless a test turns it on.
  // Key usage is written when a test calls `app.flushUsage()`, not on a timer.
  const app = createApi({
    db: handle.db,
    clock,
    config: { failedAuthPerMinute: 0, ...options.config },
    usageFlushMs: 0,
  });

  const request: ApiHarness["request"] = (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
      headers["content-type"] ??= "application/json";
    }
    return Promise.resolve(app.request(path, { method, headers, body }));
  };

  return {
    app,
    handle,
    clock,
    request,
    async signIn(user) {
      const res = await request("POST", "/v2/sessions", {
        body: { email: DEMO_USERS[user].email, password: DEMO_PASSWORD },
      });
      if (res.status !== 201) throw new Error(`sign-in of ${user} failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}
