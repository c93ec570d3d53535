/**
 * `npm run build`: `next build`, then the stamp of the sources it was made from (build-stamp.ts).
 * `npm run build -- --if-changed` (what `npm start` runs) skips the build when the stamp matches.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { buildIsCurrent, sourceStamp, writeStamp } from "./build-stamp";

const root = path.resolve(import.meta.dirname, "..");

/** Builds unless `ifChanged` and the last build was made from these same sources. Returns the exit code. */
function build(ifChanged: boolean): number {
  if (ifChanged && buildIsCurrent(root)) {
    console.log("Build is current (no source changed since the last build); not rebuilding.");
    return 0;
  }
  // Hashed before building: a file edited during the build makes the next start build again.
  const stamp = sourceStamp(root);
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const result = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) return result.status ?? 1;
  writeStamp(root, stamp);
  return 0;
}

process.exit(build(process.argv.includes("--if-changed")));
