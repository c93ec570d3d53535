/**
 * `npm start` builds only when the sources changed since the last build. The last build leaves a
 * stamp in its build folder: a SHA-256 over the path and content of every file that can change what
 * `next build` makes. Anything not provably irrelevant is hashed (an extra rebuild is cheap; a stale
 * build is not).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** Folders that never change the build: dependencies (package-lock.json stands for them), output, data, tests. */
const SKIPPED_DIRS = new Set([
  "node_modules",
  ".git",
  ".data",
  "test-results",
  "playwright-report",
  "coverage",
  "out",
  "e2e",
  "tests",
  "bench",
  ".ci",
  "scripts",
]);
/** Files that never change the build: tests, docs, and what the tools write (next-env.d.ts, *.tsbuildinfo). */
const SKIPPED_FILES = /(\.test\.tsx?|\.md|^next-env\.d\.ts|\.tsbuildinfo)$/;
/** Files at the root that Next never reads: server.ts (run by tsx) and other tools' configuration. */
const SKIPPED_ROOT_FILES = new Set([
  ".git",
  ".gitignore",
  ".prettierignore",
  ".prettierrc.json",
  "server.ts",
  "drizzle.config.ts",
  "vitest.config.ts",
  "eslint.config.mjs",
]);

export const STAMP_FILE = "keydesk-sources.sha256";

export function distDir(root: string): string {
  return path.join(root, process.env.NEXT_DIST_DIR || ".next");
}

/** The files hashed into the stamp, relative to root, sorted. */
export function stampedFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        // Build output of any name (.next, NEXT_DIST_DIR, .next-*) is not a source.
        if (SKIPPED_DIRS.has(entry.name) || entry.name.startsWith(".next")) continue;
        if (path.join(root, rel) === distDir(root)) continue;
        walk(rel);
      } else if (entry.isFile() && !SKIPPED_FILES.test(entry.name) && !SKIPPED_ROOT_FILES.has(rel)) {
        files.push(rel);
      }
    }
  };
  walk("");
  return files.sort();
}

/** The hash of every stamped file's path and content. */
export function sourceStamp(root: string): string {
  const hash = createHash("sha256");
  for (const file of stampedFiles(root)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(root, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/** True when a finished build exists and was made from exactly these sources. */
export function buildIsCurrent(root: string): boolean {
  const dir = distDir(root);
  const stamp = path.join(dir, STAMP_FILE);
  if (!existsSync(path.join(dir, "BUILD_ID")) || !existsSync(stamp)) return false;
  return readFileSync(stamp, "utf8").trim() === sourceStamp(root);
}

export function writeStamp(root: string, stamp: string): void {
  writeFileSync(path.join(distDir(root), STAMP_FILE), `${stamp}\n`);
}

/**
 * `next build` and its stamp; with `ifChanged`, nothing when the last build was made from these same
 * sources. Returns the exit code.
 */
export function buildIfNeeded(root: string, options: { ifChanged: boolean }): number {
  if (options.ifChanged && buildIsCurrent(root)) {
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
