/**
 * One process per embedded database. PGlite keeps its pages in memory and writes them back on its own
 * schedule, so two processes on one directory overwrite each other's changes (keys answered 201 by one
 * were gone after a restart). A lock file in the data directory names the holder; a second opener is
 * refused with the directory and the holder's pid, and a lock left by a process that is gone (killed,
 * crashed, a zombie nobody reaped, or an earlier life of this container whose pid we now carry) is
 * taken over.
 */
import { closeSync, linkSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";

export const LOCK_FILE = "keydesk.lock";

interface LockContent {
  pid: number;
  /** The holder's start time (Linux: clock ticks after boot), so a recycled pid is not mistaken for it. */
  started: string | null;
}

export class DatabaseLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another process (pid ${holderPid}). ` +
        `Only one process may open it: stop that process, or give this one another DATABASE_URL.`,
    );
    this.name = "DatabaseLockedError";
  }
}

interface ProcStat {
  /** The state letter: R, S, D… and Z for a zombie, X for a dead process. */
  state: string;
  /** Start time (clock ticks after boot). */
  started: string | null;
}

/**
 * A process's /proc/<pid>/stat (Linux): undefined when there is no such process, null where there is
 * no /proc. The fields are counted after the LAST `)`: the parenthesised command name before them may
 * itself contain spaces and parentheses.
 */
function procStat(pid: number): ProcStat | null | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Field 3 is the state, field 22 the start time.
    return { state: fields[0] ?? "", started: fields[19] ?? null };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined; // no such process
    return null;
  }
}

function isAlive(holder: LockContent): boolean {
  if (holder.pid === process.pid) return false; // our pid, so the holder was an earlier process
  const stat = procStat(holder.pid);
  if (stat === undefined && process.platform === "linux") return false;
  // A zombie (killed or exited, not yet reaped by its parent: where PID 1 is no init, that is for
  // ever) has no memory and no open files left: it holds nothing, however long its /proc entry stays.
  if (stat && (stat.state === "Z" || stat.state === "X")) return false;
  if (stat?.started && holder.started && stat.started !== holder.started) return false; // pid reused
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(file: string): LockContent | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (parsed && typeof parsed === "object" && "pid" in parsed && Number.isInteger(parsed.pid)) {
      const started = "started" in parsed && typeof parsed.started === "string" ? parsed.started : null;
      return { pid: Number(parsed.pid), started };
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
  }
  return { pid: -1, started: null }; // unreadable: nobody we can name, treat as stale
}

export interface EmbeddedLock {
  release(): void;
}

const HELD = Symbol.for("keydesk.embedded-locks");
type GlobalWithLocks = typeof globalThis & { [HELD]?: Set<string> };

/** Takes the lock of `dataDir` for this process, or throws DatabaseLockedError. */
export function lockDataDir(dataDir: string): EmbeddedLock {
  const g = globalThis as GlobalWithLocks;
  const held = (g[HELD] ??= new Set());
  const file = path.join(dataDir, LOCK_FILE);
  if (held.has(file)) throw new DatabaseLockedError(dataDir, process.pid);

  const content = JSON.stringify({ pid: process.pid, started: procStat(process.pid)?.started ?? null });
  // Written whole to a private file, then linked into place: link() fails if the lock exists, so
  // exactly one process wins and nobody ever reads a half-written lock.
  const temp = path.join(dataDir, `${LOCK_FILE}.${process.pid}.tmp`);
  const fd = openSync(temp, "w", 0o600);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(temp, file);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 5) throw err;
      }
      const holder = readLock(file);
      if (holder && isAlive(holder)) throw new DatabaseLockedError(dataDir, holder.pid);
      // Stale: remove it and try again.
      try {
        unlinkSync(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      }
    }
  } finally {
    unlinkSync(temp);
  }
  held.add(file);

  const release = () => {
    if (!held.delete(file)) return;
    process.off("exit", release);
    // Only our own lock: never one another process took over.
    if (readLock(file)?.pid === process.pid) {
      try {
        unlinkSync(file);
      } catch {
        // Already gone.
      }
    }
  };
  // A process that exits without closing the database still leaves no lock behind.
  process.on("exit", release);
  return { release };
}
