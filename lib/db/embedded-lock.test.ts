import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DatabaseLockedError, LOCK_FILE, lockDataDir } from "./embedded-lock";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

/** The state letter of /proc/<pid>/stat (after the parenthesised command name), or null if gone. */
function procState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0] ?? null;
  } catch {
    return null;
  }
}

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

  it.runIf(process.platform === "linux")(
    "takes over a lock whose holder was killed and is a zombie its parent never reaped (PID 1 without an init)",
    async () => {
      const d = dir();
      // The holder takes the lock with this very module, says so, and waits to be killed.
      const holderScript = `
        const { lockDataDir } = await import(${JSON.stringify(path.join(REPO_ROOT, "lib/db/embedded-lock.ts"))});
        process.title = "held) R (x"; // a command name that looks like the state field, to read past
        lockDataDir(process.argv[1]);
        console.log(JSON.stringify({ locked: process.pid }));
        setInterval(() => undefined, 60_000);`;
      // Its parent forks it and does not wait for it (Node would: libuv reaps what it spawns) until
      // the test closes the parent's stdin, so the killed holder stays a zombie until then.
      const parentScript = [
        "import os, sys",
        "pid = os.fork()",
        "if pid == 0:",
        "    os.execv(sys.argv[1], sys.argv[1:])",
        "sys.stdin.readline()",
        "os.kill(pid, 9)",
        "os.waitpid(pid, 0)",
      ].join("\n");
      const parent: ChildProcess = spawn(
        "python3",
        [
          "-c",
          parentScript,
          process.execPath,
          "--import",
          "tsx",
          "--input-type=module",
          "-e",
          holderScript,
          d,
        ],
        { cwd: REPO_ROOT, stdio: ["pipe", "pipe", "inherit"] },
      );
      const parentExited = new Promise((resolve) => parent.once("exit", resolve));
      try {
        let out = "";
        parent.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
        const holderPid = await vi.waitFor(
          () => {
            const line = /\{"locked":(\d+)\}/.exec(out);
            if (!line?.[1]) throw new Error(`the holder has not taken the lock yet: ${out}`);
            return Number(line[1]);
          },
          { timeout: 30_000, interval: 50 },
        );
        expect(holderIn(d).pid).toBe(holderPid);
        expect(readFileSync(`/proc/${holderPid}/stat`, "utf8")).toContain("(held) R (x)");
        expect(() => lockDataDir(d)).toThrow(DatabaseLockedError);

        process.kill(holderPid, "SIGKILL");
        await vi.waitFor(() => expect(procState(holderPid)).toBe("Z"), { timeout: 10_000, interval: 20 });
        // The zombie's /proc entry is still there and its lock file still names it: the lock is ours.
        expect(holderIn(d).pid).toBe(holderPid);
        const lock = lockDataDir(d);
        expect(holderIn(d).pid).toBe(process.pid);
        lock.release();
      } finally {
        parent.stdin?.end();
        await parentExited;
      }
    },
    40_000,
  );
});
