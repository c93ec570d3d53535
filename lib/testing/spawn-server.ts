import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

/** The repository root (this file lives in tests/). */
export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

export interface SpawnedServer {
  /** `http://localhost:<port>`, as the server printed it. */
  baseUrl: string;
  /** The server process's pid. */
  pid: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** What the process wrote to stdout so far, and to stderr (LOG_FORMAT=json: one JSON object a line). */
  stdout(): string;
  stderr(): string;
  /** Stops the process (SIGTERM, then SIGKILL after 15 s) and resolves with its exit code. Idempotent. */
  stop(): Promise<number | null>;
}

export interface SpawnOptions {
  /** Extra environment; PORT defaults to 0 (any free port). */
  env?: Record<string, string>;
  /** How long to wait for the ready line, all retries included. */
  timeoutMs?: number;
  /**
   * Listen on this port and call the server ready when `/readyz` answers 200, instead of waiting for
   * its ready line (which a `LOG_LEVEL` above info leaves out).
   */
  readyzPort?: number;
}

const READY = /Keydesk ready on (http:\/\/\S+)/;
// `next dev` holds .next/dev/lock: a second dev server in this directory exits at once. Wait our turn.
const DEV_LOCK_BUSY = /Another .*next dev.* server is already running/;

/** Production mode when a build exists, development otherwise (what `npm run serve` / `dev` do). */
export function serverMode(): "production" | "development" {
  return existsSync(path.join(REPO_ROOT, ".next", "BUILD_ID")) ? "production" : "development";
}

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * Spawns `node --import tsx server.ts` with its output captured, and resolves once it prints its ready
 * line. Rejects (with the captured output) if it exits first or the timeout passes.
 */
export async function spawnServer(options: SpawnOptions = {}): Promise<SpawnedServer> {
  const deadline = Date.now() + (options.timeoutMs ?? 110_000);
  let attempt = 0;
  for (;;) {
    attempt++;
    const result = await startOnce(options, deadline);
    if (result.ok) return result.server;
    const retry = DEV_LOCK_BUSY.test(result.output) && Date.now() < deadline;
    if (!retry) {
      throw new Error(
        `server.ts did not become ready (attempt ${attempt}): ${result.reason}\n${result.output}`,
      );
    }
    // Another test's dev server holds the lock; poll until it is gone.
    await new Promise((resolve) => setTimeout(resolve, Math.min(250 * attempt, 2_000)));
  }
}

type StartResult = { ok: true; server: SpawnedServer } | { ok: false; reason: string; output: string };

function startOnce(options: SpawnOptions, deadline: number): Promise<StartResult> {
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: serverMode(),
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(options.readyzPort ?? 0),
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  const chunks: Buffer[] = [];
  const output = () => Buffer.concat(chunks).toString("utf8");
  const streams = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  child.stdout.on("data", (chunk: Buffer) => streams.stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => streams.stderr.push(chunk));
  const stdout = () => Buffer.concat(streams.stdout).toString("utf8");
  const stderr = () => Buffer.concat(streams.stderr).toString("utf8");
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => {
      running.delete(child);
      resolve(code);
    });
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };

  return new Promise<StartResult>((resolve) => {
    let settled = false;
    const settle = (result: StartResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const readyzPort = options.readyzPort;
    if (readyzPort !== undefined) {
      const baseUrl = `http://localhost:${readyzPort}`;
      const poll = () => {
        if (settled) return;
        fetch(`${baseUrl}/readyz`).then(
          (res) =>
            res.status === 200
              ? settle({ ok: true, server: { baseUrl, pid: child.pid ?? -1, output, stdout, stderr, stop } })
              : setTimeout(poll, 100),
          () => setTimeout(poll, 100),
        );
      };
      poll();
    }
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      // Once ready, the output is only kept: scanning all of it again on every chunk is quadratic.
      if (settled) return;
      const match = readyzPort === undefined ? READY.exec(output()) : null;
      if (match?.[1])
        settle({
          ok: true,
          server: { baseUrl: match[1], pid: child.pid ?? -1, output, stdout, stderr, stop },
        });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("error", (err) => settle({ ok: false, reason: err.message, output: output() }));
    void exited.then(() =>
      settle({ ok: false, reason: `exited with ${child.exitCode ?? child.signalCode}`, output: output() }),
    );
    const timer = setTimeout(
      () => {
        void stop().then(() => settle({ ok: false, reason: "timed out", output: output() }));
      },
      Math.max(deadline - Date.now(), 1),
    );
  });
}

export interface FailedStart {
  /** Exit code (null if killed by a signal). */
  code: number | null;
  output: string;
  /** Milliseconds from spawn to exit. */
  elapsedMs: number;
}

/**
 * Spawns server.ts expecting it to refuse to start: resolves when it exits, with its code and output.
 * Rejects if it prints the ready line instead, or is still running after `timeoutMs` (then killed).
 */
export function spawnFailingServer(options: SpawnOptions = {}): Promise<FailedStart> {
  const started = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: serverMode(), NEXT_TELEMETRY_DISABLED: "1", PORT: "0", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  const chunks: Buffer[] = [];
  const output = () => Buffer.concat(chunks).toString("utf8");
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server.ts still running after ${options.timeoutMs ?? 30_000} ms:\n${output()}`));
    }, options.timeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      if (READY.test(output())) {
        clearTimeout(timer);
        child.kill("SIGKILL");
        reject(new Error(`server.ts started when it should have refused:\n${output()}`));
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      running.delete(child);
      clearTimeout(timer);
      resolve({ code, output: output(), elapsedMs: Date.now() - started });
    });
  });
}
