import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildIsCurrent, sourceStamp, stampedFiles, writeStamp } from "./build-stamp";

describe("the build stamp (npm start builds only when sources changed)", () => {
  let root: string;
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  /** A finished build of the current sources. */
  const built = () => {
    write(".next/BUILD_ID", "abc");
    writeStamp(root, sourceStamp(root));
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "keydesk-stamp-"));
    write("app/page.tsx", "export default function Page() {}");
    write("lib/roles/roles.ts", "export const x = 1;");
    write("package-lock.json", "{}");
    write("next.config.ts", "export default {};");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("hashes the sources and configuration, not dependencies, output, data or tests", () => {
    write("node_modules/next/index.js", "x");
    write(".next/server/page.js", "x");
    write(".next-e2e/BUILD_ID", "x");
    write(".data/pglite/PG_VERSION", "17");
    write("e2e/smoke.spec.ts", "x");
    write("tests/leak.test.ts", "x");
    write("lib/roles/roles.test.ts", "x");
    write("README.md", "x");
    write("scripts/admin.ts", "x");
    write("server.ts", "x");
    write("eslint.config.mjs", "x");
    write("lib/server/server.ts", "only the root's server.ts is skipped");
    expect(stampedFiles(root)).toEqual([
      "app/page.tsx",
      "lib/roles/roles.ts",
      "lib/server/server.ts",
      "next.config.ts",
      "package-lock.json",
    ]);
  });

  it("is current after a build, and stale after any source, configuration or dependency change", () => {
    expect(buildIsCurrent(root)).toBe(false); // never built
    built();
    expect(buildIsCurrent(root)).toBe(true);

    write("lib/roles/roles.test.ts", "a test changes nothing that is built");
    write(".data/pglite/x", "nor does the database");
    expect(buildIsCurrent(root)).toBe(true);

    for (const [file, text] of [
      ["lib/roles/roles.ts", "export const x = 2;"],
      ["components/new.tsx", "export {};"],
      ["package-lock.json", '{"next":"16.5"}'],
      ["next.config.ts", "export default { poweredByHeader: false };"],
    ] as const) {
      write(file, text);
      expect(buildIsCurrent(root), file).toBe(false);
      built();
    }
  });

  it("is stale when the build folder has no finished build, whatever the stamp says", () => {
    built();
    rmSync(path.join(root, ".next", "BUILD_ID"));
    expect(buildIsCurrent(root)).toBe(false);
  });

  /** Makes root a git checkout with every file so far added (none committed: git ls-files lists them). */
  const gitInit = () => {
    write(".gitignore", "node_modules/\n.next/\n.data/\n.env*.local\n");
    for (const args of [
      ["init", "-q"],
      ["add", "-A"],
    ]) {
      const run = spawnSync("git", args, { cwd: root, encoding: "utf8" });
      expect(run.status, run.stderr).toBe(0);
    }
  };

  // A machine without git (an unpacked tarball's) can only check the walk.
  const hasGit = spawnSync("git", ["--version"]).status === 0;
  describe.each([
    { checkout: "an unpacked tarball (no git)", git: false },
    ...(hasGit ? [{ checkout: "a git checkout", git: true }] : []),
  ])("in $checkout", ({ git }) => {
    beforeEach(() => {
      write("components/ui/button.tsx", "export {};");
      write("tsconfig.json", "{}");
      if (git) gitInit();
    });

    it("is unchanged when a log, a pid file or the database appears at the root", () => {
      built();
      write("server.log", "Keydesk ready on http://localhost:3000");
      write("keydesk.pid", "4242");
      write("nohup.out", "x");
      write(".data/pglite/PG_VERSION", "17");
      expect(buildIsCurrent(root)).toBe(true);
      expect(stampedFiles(root)).not.toContain("server.log");
      expect(stampedFiles(root)).not.toContain("keydesk.pid");
    });

    it("changes when a source file, a new page or .env.local changes", () => {
      for (const [file, text] of [
        ["components/ui/button.tsx", "export const size = 1;"],
        ["app/new/page.tsx", "export default function New() {}"],
        [".env.local", "KEYS_API_URL=http://127.0.0.1:3000"],
        [".env.local", "KEYS_API_URL=http://127.0.0.1:3001"],
        ["tsconfig.json", '{"compilerOptions":{}}'],
        ["proxy.ts", "export {};"],
      ] as const) {
        built();
        write(file, text);
        expect(buildIsCurrent(root), file).toBe(false);
      }
    });
  });

  it.runIf(hasGit)(
    "hashes the same files in a git checkout as in the same tree without git, less what git ignores",
    () => {
      write("components/ui/button.tsx", "export {};");
      write(".env.local", "A=1");
      write("public/logo.svg", "<svg/>");
      write("server.log", "x");
      const withoutGit = stampedFiles(root);
      gitInit();
      expect(stampedFiles(root)).toEqual(withoutGit);
      write("lib/scratch.tmp", "ignored by git");
      write(".gitignore", "node_modules/\n.next/\n.data/\n.env*.local\n*.tmp\n");
      expect(stampedFiles(root)).toEqual(withoutGit);
    },
  );
});
