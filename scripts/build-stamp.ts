/**
 * `npm start` builds only when the sources changed since the last build. The last build leaves a
 * stamp in its build folder: a SHA-256 over the path and content of every file the build reads — the
 * sources (in a git checkout, the files git tracks or would track: `git ls-files`; in an unpacked
 * tarball, the same files found by walking the folders), `.env*` and the lockfile. What runs next to
 * the build (a log, a pid file, the embedded database) is not hashed, so it never causes a rebuild.
 * Within the sources, anything not provably irrelevant is hashed (an extra rebuild is cheap; a stale
 * build is not).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
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
/**
 * The files at the root that the build reads: code and configuration (Next's and TypeScript's read
 * every `.ts` and `.json` there), `.env*`, and the Babel and browserslist settings Next honours.
 * Nothing else at the root is a source: a `server.log` or a `keydesk.pid` written there by a running
 * server must not make the next start build again.
 */
const ROOT_INPUTS = /^(\.env.*|\.babelrc.*|\.browserslistrc|.+\.(?:[cm]?[jt]sx?|json))$/;
/** Files at the root that Next never reads: server.ts (run by tsx) and other tools' configuration. */
const SKIPPED_ROOT_FILES = new Set([
  ".prettierrc.json",
  "server.ts",
  "drizzle.config.ts",
  "vitest.config.ts",
  "eslint.config.mjs",
  "knip.json",
]);

export const STAMP_FILE = "keydesk-sources.sha256";

export function distDir(root: string): string {
  return path.join(root, process.env.NEXT_DIST_DIR || ".next");
}

/** True for a folder (its path's parts below root) that may hold sources. */
function isSourceFolder(root: string, dirs: string[]): boolean {
  // Build output of any name (.next, NEXT_DIST_DIR, .next-*) is not a source.
  return dirs.every(
    (dir, i) =>
      !SKIPPED_DIRS.has(dir) &&
      !dir.startsWith(".next") &&
      path.join(root, ...dirs.slice(0, i + 1)) !== distDir(root),
  );
}

/** True for a file (relative to root, `/`-separated) that can change what `next build` makes. */
function isBuildInput(root: string, rel: string): boolean {
  const dirs = rel.split("/");
  const name = dirs.pop() ?? "";
  if (SKIPPED_FILES.test(name)) return false;
  if (dirs.length === 0) return ROOT_INPUTS.test(name) && !SKIPPED_ROOT_FILES.has(name);
  return isSourceFolder(root, dirs);
}

/**
 * The files git tracks or would track (untracked but not ignored: a new page not yet added is built
 * all the same), when root is the top of a git checkout; undefined otherwise (no git, or root is a
 * folder inside another project's checkout).
 */
function gitFiles(root: string): string[] | undefined {
  const git = (...args: string[]) => spawnSync("git", ["-C", root, ...args], { encoding: "utf8" });
  const top = git("rev-parse", "--show-toplevel");
  if (top.status !== 0 || realpathSync(top.stdout.trim()) !== realpathSync(root)) return undefined;
  const listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard");
  if (listed.status !== 0) return undefined;
  const files = listed.stdout.split("\0").filter(Boolean);
  // `.env*` files are ignored by git, yet the build reads them.
  const envFiles = readdirSync(root).filter((name) => name.startsWith(".env"));
  // A tracked file deleted from the working tree is listed by --cached; it is no longer a source.
  return [...new Set([...files, ...envFiles])].filter((rel) =>
    statSync(path.join(root, rel), { throwIfNoEntry: false })?.isFile(),
  );
}

/** Every file below root, outside the folders that are never sources (no git: an unpacked tarball). */
function walkedFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory() && isSourceFolder(root, rel.split("/"))) walk(rel);
      else if (entry.isFile()) files.push(rel);
    }
  };
  walk("");
  return files;
}

/** The files hashed into the stamp, relative to root, sorted. */
export function stampedFiles(root: string): string[] {
  return (gitFiles(root) ?? walkedFiles(root)).filter((rel) => isBuildInput(root, rel)).sort();
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
  const result = spawnSync(process.execPath, [nextBin, "build"], {
    cwd: root,
    stdio: "inherit",
    // A self-hosted console's build sends nothing anywhere (server.ts says the same to the server).
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? "1" },
  });
  if (result.status !== 0) return result.status ?? 1;
  writeStamp(root, stamp);
  return 0;
}
