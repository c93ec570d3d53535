/**
 * CPU per in-process cached `GET /v2/me` with Prometheus metrics on (lib/server/metrics.ts) against
 * the same API without them (bench/cached-me-cost.ts).
 *
 *   DEMO_PASSWORD=keydesk-demo ROUNDS=40 npx tsx bench/metrics-cost.ts
 */
import { createApi } from "../lib/api/app";
import { createMetrics } from "../lib/server/metrics";
import { benchOptions, compareCachedMe } from "./cached-me-cost";

void compareCachedMe((db) => ({
  with: createApi({ ...benchOptions(db), metrics: createMetrics({ db }) }),
  without: createApi(benchOptions(db)),
}));
