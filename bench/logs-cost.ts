/**
 * CPU per in-process cached `GET /v2/me` with the request log on at its default level (one JSON line a
 * request, lib/domain/logger.ts) against the same API without it (bench/cached-me-cost.ts). The lines
 * go to a file, as stdout to a collector would take them, through pino's asynchronous destination
 * (SYNC=1: its synchronous one). VIA_PINO=1 writes each line with pino's `info` instead (what it was
 * first; BENCHMARKS.md has both); NO_LINE=1 takes the fields and writes nothing (the route, address
 * and timing alone); NO_FILE=1 spells and batches the lines but drops them instead of writing;
 * SAME=1 compares two APIs without the log (the noise of the comparison itself).
 *
 *   DEMO_PASSWORD=keydesk-demo ROUNDS=30 npx tsx bench/logs-cost.ts
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { createApi } from "../lib/api/app";
import { createLogger, createRequestLog, type LogSettings } from "../lib/domain/logger";
import { benchOptions, compareCachedMe } from "./cached-me-cost";

const dir = mkdtempSync(path.join(tmpdir(), "keydesk-logs-cost-"));
const file = path.join(dir, "requests.log");
// NO_FILE=1: a destination that drops what it is given (the line's cost without the write).
let dropped = 0;
const destination =
  process.env.NO_FILE === "1"
    ? Object.assign(pino.destination({ dest: file, sync: true }), {
        write: (text: string) => {
          dropped += text.length;
          return true;
        },
      })
    : pino.destination({ dest: file, sync: process.env.SYNC === "1" });

const settings: LogSettings = { format: "json", level: "info" };
const requestLog =
  process.env.NO_LINE === "1"
    ? () => undefined
    : process.env.VIA_PINO === "1"
      ? (() => {
          const log = createLogger(settings, destination);
          return (line: object) => log.info(line, "request");
        })()
      : createRequestLog(settings, createLogger(settings, destination), destination);

// SAME=1: both sides without the log (the comparison's own noise, an A/A test).
void compareCachedMe((db) => ({
  with: createApi(process.env.SAME === "1" ? benchOptions(db) : { ...benchOptions(db), requestLog }),
  without: createApi(benchOptions(db)),
})).then(() => {
  destination.flushSync();
  console.log(
    JSON.stringify({
      sync: process.env.SYNC === "1",
      log_bytes: statSync(file).size,
      dropped_chars: dropped,
    }),
  );
  rmSync(dir, { recursive: true, force: true });
});
