import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Virtual environments of Arize's published Python packages (the `arize` SDK, the `ax` CLI), one per
 * package version, kept outside the clone so CI runs on one machine reuse them:
 * `$KEYDESK_CLIENTS_CACHE` or `~/.cache/keydesk-clients`, then `python/<package>-<version>/`.
 * A missing python3 (or pip, or venv) is an error that says so — never a skip.
 */
export const CLIENTS_CACHE =
  process.env.KEYDESK_CLIENTS_CACHE ?? path.join(os.homedir(), ".cache", "keydesk-clients");

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Raw keys (`ak-` + 69 characters) replaced, so failure messages never print a secret. */
export function scrubKeys(text: string): string {
  return text.replace(/ak-[A-Za-z0-9_-]{60,80}/g, "ak-<redacted>");
}

/** Runs a program to its end (no shell), with its output captured. */
export function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 300_000);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
  });
}

/** python3 on PATH, 3.10 or newer (Arize's SDK needs it), or an error saying how to get it. */
function requirePython(): string {
  const probe = spawnSync(
    "python3",
    ["-c", "import sys, venv, ensurepip; print(sys.version_info[:2] >= (3, 10))"],
    {
      encoding: "utf8",
    },
  );
  if (probe.error || probe.status !== 0 || probe.stdout.trim() !== "True") {
    throw new Error(
      "The client matrix needs python3 (3.10 or newer, with venv and pip) on PATH to run Arize's Python SDK and " +
        "`ax` CLI; .ci/run installs it (apt-get install python3 python3-venv python3-pip). " +
        (probe.error ? probe.error.message : probe.stderr.trim() || probe.stdout.trim()),
    );
  }
  return "python3";
}

/** The newest version of a package on PyPI, as pip sees it. */
export async function newestOnPyPI(pkg: string): Promise<string> {
  const result = await run(
    requirePython(),
    ["-m", "pip", "index", "versions", pkg, "--disable-pip-version-check"],
    {
      timeoutMs: 120_000,
    },
  );
  const match = new RegExp(`^${pkg.replace(/[-.]/g, "[-_.]")} \\(([^)]+)\\)`, "im").exec(result.stdout);
  if (result.code !== 0 || !match?.[1]) {
    throw new Error(
      `Could not ask PyPI for the newest ${pkg}: ${result.stderr.trim() || result.stdout.trim()}`,
    );
  }
  return match[1];
}

/**
 * The virtual environment holding exactly `pkg==version`, made (or repaired) when missing. Returns
 * the directory; its programs are in `bin/`. A marker file is written last, so a half-made
 * environment (an interrupted install) is made again rather than trusted.
 */
export async function pythonEnv(pkg: string, version: string): Promise<string> {
  const dir = path.join(CLIENTS_CACHE, "python", `${pkg}-${version}`);
  const marker = path.join(dir, ".keydesk-installed");
  const wanted = `${pkg}==${version}`;
  if (existsSync(marker) && readFileSync(marker, "utf8") === wanted) return dir;
  const python = requirePython();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.dirname(dir), { recursive: true });
  const steps: [string, string[]][] = [
    [python, ["-m", "venv", dir]],
    [
      path.join(dir, "bin", "python"),
      ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-input", wanted],
    ],
  ];
  for (const [command, args] of steps) {
    const result = await run(command, args, { timeoutMs: 600_000 });
    if (result.code !== 0) {
      throw new Error(
        `Installing ${wanted} into ${dir} failed (${command} ${args.join(" ")}):\n${result.stderr}`,
      );
    }
  }
  writeFileSync(marker, wanted);
  return dir;
}
