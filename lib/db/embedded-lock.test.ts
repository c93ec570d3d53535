import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DatabaseLockedError, LOCK_FILE, lockDataDir } from "./embedded-lock";

describe("the embedded database's lock file", () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(path.join(tmpdir(), "keydesk-lockfile-"));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const holderIn = (d: string) =>
    JSON.parse(readFileSync(path.join(d, LOCK_FILE), "utf8")) as { pid: number };

  it("is taken once per process; release lets it be taken again", () => {
    const d = dir();
    const lock = lockDataDir(d);
    expect(holderIn(d).pid).toBe(process.pid);
    expect(() => lockDataDir(d)).toThrow(DatabaseLockedError);
    lock.release();
    lockDataDir(d).release();
  });

  it("refuses while a live process holds it, naming the directory and the pid", () => {
    const d = dir();
    // The parent of this test process is alive for as long as the test runs.
    writeFileSync(path.join(d, LOCK_FILE), JSON.stringify({ pid: process.ppid, started: null }));
    expect(() => lockDataDir(d)).toThrow(`in ${d} is in use by another process (pid ${process.ppid})`);
  });

  it("takes over a lock whose holder has exited", () => {
    const d = dir();
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
    writeFileSync(path.join(d, LOCK_FILE), JSON.stringify({ pid: Number(gone.stdout), started: null }));
    lockDataDir(d).release();
  });

  it("takes over a lock written under this very pid by an earlier process (a restarted container)", () => {
    const d = dir();
    writeFileSync(path.join(d, LOCK_FILE), JSON.stringify({ pid: process.pid, started: "1" }));
    const lock = lockDataDir(d);
    expect(holderIn(d).pid).toBe(process.pid);
    lock.release();
  });

  it.runIf(process.platform === "linux")("takes over a lock whose pid now belongs to another process", () => {
    const d = dir();
    writeFileSync(path.join(d, LOCK_FILE), JSON.stringify({ pid: process.ppid, started: "1" }));
    lockDataDir(d).release();
  });

  it("takes over an unreadable lock", () => {
    const d = dir();
    writeFileSync(path.join(d, LOCK_FILE), "not json");
    lockDataDir(d).release();
  });
});
