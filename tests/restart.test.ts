import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildIsCurrent } from "../scripts/build-stamp";
import { openDatabase } from "../lib/db/client";
import { REPO_ROOT } from "../lib/testing/spawn-server";

const READY = /Keydesk ready on (http:\/\/\S+)/;

/**
 * `npm start` on unchanged sources serves the existing build: no `next build`. How long that takes is
 * measured, not asserted (a timed test is not a benchmark): it is logged, and the figure is in docs/running.md.
 * `npm test` builds just before the suites, so the build is current here.
 */
describe("npm start after a build", () => {
  it("does not build again, and serves the existing build", { timeout: 60_000 }, async () => {
    expect(buildIsCurrent(REPO_ROOT), "no build of the current sources: run `npm run build` first").toBe(
      true,
    );
    // A restart finds its database in place (created and migrated by an earlier start).
    const dataDir = mkdtempSync(path.join(tmpdir(), "keydesk-restart-"));
    await (await openDatabase({ kind: "pglite", dataDir })).close();
    const started = Date.now();
    // Its own process group, so stopping it stops npm, tsx and the server alike.
    const child = spawn("npm", ["start", "--silent"], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: "0",
        DATABASE_URL: `pglite:${dataDir}`,
        KEYDESK_DEMO: "0",
        NEXT_TELEMETRY_DISABLED: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    const ready = new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString("utf8");
        const match = READY.exec(output);
        if (match?.[1]) resolve(match[1]);
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.once("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      const baseUrl = await ready;
      const elapsedMs = Date.now() - started;
      console.log(`npm start on an unchanged build: serving after ${elapsedMs} ms`);
      expect(output).toMatch(/Build is current/);
      expect(output).not.toMatch(/Creating an optimized production build/);
      expect((await fetch(`${baseUrl}/login`)).status).toBe(200);
    } finally {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
