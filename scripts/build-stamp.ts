/**
 * `npm start` builds only when the sources changed since the last build. The last build leaves a
 * stamp in its build folder: a SHA-256 over the path and content of every file that can change what
 * `next build` makes. Anything not provably irrelevant is hashed (an extra rebuild is cheap; a stale
 * build is not).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
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
]);
/** Files that never change the build (next-env.d.ts and tsconfig.tsbuildinfo are written by the tools). */
const SKIPPED_FILES = /(\.test\.tsx?|\.md|^next-env\.d\.ts|\.tsbuildinfo|^\.git)$/;

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
      } else if (entry.isFile() && !SKIPPED_FILES.test(entry.name)) {
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
