/**
 * CPU per in-process `GET /v2/me` with a cached user key, the API with key usage recording (this
 * checkout) against the same API without it (argv[2]: a checkout whose createApi leaves `usage` out of
 * verifyDeps), measured by bench/cached-me-cost.ts.
 *
 *   git worktree add --detach ../without && cp -al node_modules ../without/
 *   # in ../without/lib/api/app.ts: `const verifyDeps = { db: deps.db, clock, cache };` (no `usage`)
 *   DEMO_PASSWORD=keydesk-demo ROUNDS=40 npx tsx bench/usage-cost.ts ../without
 *
 * ROUNDS (default 20) blocks of 4,000 requests each way; prints the medians per request.
 */
import path from "node:path";
import { createApi as createWith } from "../lib/api/app";
import { benchOptions, compareCachedMe } from "./cached-me-cost";

async function main() {
  const other = path.resolve(process.argv[2] ?? "");
  const { createApi: createWithout } = (await import(path.join(other, "lib/api/app.ts"))) as {
    createApi: typeof createWith;
  };
  await compareCachedMe((db) => ({
    with: createWith(benchOptions(db)),
    without: createWithout(benchOptions(db)),
  }));
}
void main();
