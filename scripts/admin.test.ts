import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApi } from "../lib/api/app";
import { openDatabase, type DatabaseHandle } from "../lib/db/client";
import { accounts, auditLog, users } from "../lib/db/schema";
import { openScratchPostgres } from "../lib/testing/test-databases";

const ROOT = path.resolve(import.meta.dirname, "..");
const PASSWORD = "Tr0ub4dor&3-horse-staple";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as `npm run admin` would, with `stdin` piped in (so not a TTY). */
function runAdmin(args: string[], databaseUrl: string, stdin = ""): Promise<Run> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/admin.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  child.stdin.end(stdin);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

interface Target {
  url: string;
  /** Opens the database in this process (for PGlite only once the CLI has exited). */
  open(): Promise<DatabaseHandle>;
  cleanup(): Promise<void>;
}

const targets: { name: string; make: () => Promise<Target> }[] = [
  {
    name: "pglite",
    make: async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "keydesk-admin-"));
      return {
        url: `pglite:${dir}`,
        open: () => openDatabase({ kind: "pglite", dataDir: dir }),
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
];
const postgresBase = process.env.TEST_DATABASE_URL;
if (postgresBase) {
  targets.push({
    name: "postgres",
    make: async () => {
      const scratch = await openScratchPostgres(postgresBase);
      return {
        url: scratch.url,
        open: () => openDatabase({ kind: "postgres", url: scratch.url }),
        cleanup: () => scratch.close(),
      };
    },
  });
}

const expectNoPassword = (run: Run) => {
  expect(run.stdout).not.toContain(PASSWORD);
  expect(run.stderr).not.toContain(PASSWORD);
};

describe.each(targets)("npm run admin -- create-admin ($name)", { timeout: 120_000 }, ({ make }) => {
  it("creates the first admin from a password on stdin; they can sign in through the API", async () => {
    const target = await make();
    try {
      const args = [
        "create-admin",
        "--email",
        "Owner@Example.com",
        "--name",
        "Olive Owner",
        "--account",
        "Initech",
      ];
      const run = await runAdmin(args, target.url, `${PASSWORD}\n`);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/Created account "Initech"/);
      expectNoPassword(run);

      // A second admin joins the same account; a duplicate email is refused clearly.
      const second = await runAdmin(
        ["create-admin", "--email", "second@example.com", "--name", "Sam Second"],
        target.url,
        `${PASSWORD}\r\nignored second line\n`,
      );
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toMatch(/Added admin second@example.com to account "Initech"/);
      const duplicate = await runAdmin(
        ["create-admin", "--email", "owner@example.com", "--name", "Again"],
        target.url,
        `${PASSWORD}\n`,
      );
      expect(duplicate.code).toBe(1);
      expect(duplicate.stderr).toMatch(/already exists/);
      expectNoPassword(second);
      expectNoPassword(duplicate);

      // --account names the account: another name than the existing one is refused, not ignored;
      // its own name is honoured.
      const otherAccount = await runAdmin(
        ["create-admin", "--email", "third@example.com", "--name", "Tess Third", "--account", "Globex"],
        target.url,
        `${PASSWORD}\n`,
      );
      expect(otherAccount.code, otherAccount.stdout).toBe(1);
      expect(otherAccount.stderr).toMatch(/account is "Initech", not "Globex"/);
      const sameAccount = await runAdmin(
        ["create-admin", "--email", "third@example.com", "--name", "Tess Third", "--account", "Initech"],
        target.url,
        `${PASSWORD}\n`,
      );
      expect(sameAccount.code, sameAccount.stderr).toBe(0);
      expect(sameAccount.stdout).toMatch(/Added admin third@example.com to account "Initech"/);

      const handle = await target.open();
      try {
        const [n] = await handle.db.select({ n: count() }).from(accounts);
        expect(n?.n).toBe(1);
        const audit = await handle.db.select().from(auditLog).where(eq(auditLog.action, "user.create_admin"));
        expect(audit.map((a) => a.actorCredential)).toEqual(["cli", "cli", "cli"]);
        const [tess] = await handle.db.select({ n: count() }).from(users).where(eq(users.name, "Tess Third"));
        expect(tess?.n).toBe(1);
        const [owner] = await handle.db.select().from(users).where(eq(users.email, "owner@example.com"));
        expect(owner?.accountRole).toBe("admin");

        const api = createApi({ db: handle.db });
        for (const email of ["owner@example.com", "second@example.com"]) {
          const res = await api.request("/v2/sessions", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ email, password: PASSWORD }),
          });
          expect(res.status).toBe(201);
          const { token } = (await res.json()) as { token: string };
          const me = await api.request("/v2/me", { headers: { authorization: `Bearer ${token}` } });
          expect(((await me.json()) as { account_role: string }).account_role).toBe("admin");
        }
      } finally {
        await handle.close();
      }
    } finally {
      await target.cleanup();
    }
  });
});

describe("npm run admin usage", { timeout: 120_000 }, () => {
  it("refuses bad usage with exit code 2 and a short password with 1, creating nothing", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "keydesk-admin-"));
    const url = `pglite:${dir}`;
    const admin = (args: string[], stdin = "") => runAdmin(["create-admin", ...args], url, stdin);
    try {
      const usage = await Promise.all(
        [
          [],
          ["--email", "x@example.com"],
          ["--name", "X"],
          ["--email", "x@example.com", "--name", "X", "--password", PASSWORD],
          ["--email", "x@example.com", "--name", "X", `--password=${PASSWORD}`],
          // Flags it does not understand are errors, never ignored: a typo, an unknown flag, a repeat.
          ["--email", "x@example.com", "--name", "X", "--acount", "Acme"],
          ["--email", "x@example.com", "--name", "X", "--force"],
          ["--email", "x@example.com", "--name", "X", "-y"],
          ["--email", "x@example.com", "--name", "X", "--name", "Y"],
          ["--email", "x@example.com", "--name", "X", "--account"],
        ].map((args) => admin(args, `${PASSWORD}\n`)),
      );
      usage.push(await runAdmin(["make-coffee", "--email", "x@example.com", "--name", "X"], url));
      usage.push(await runAdmin([], url));
      for (const run of usage) {
        expect(run.code, run.stderr).toBe(2);
        expect(run.stderr).toMatch(/Usage:/);
        expectNoPassword(run);
      }
      expect(usage[3]?.stderr).toMatch(/never taken as flags/);
      expect(usage[5]?.stderr).toMatch(/Unknown option '--acount'/);
      expect(usage[8]?.stderr).toMatch(/--name is given more than once/);

      const [short, empty, help] = await Promise.all([
        admin(["--email", "x@example.com", "--name", "X"], "short\n"),
        admin(["--email", "x@example.com", "--name", "X"], ""),
        runAdmin(["--help"], url),
      ]);
      expect(short.code).toBe(1);
      expect(short.stderr).toMatch(/at least 12 characters/);
      expect(empty.code).toBe(1);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/create-admin/);

      // None of these opened the database.
      const handle = await openDatabase({ kind: "pglite", dataDir: dir });
      try {
        const [n] = await handle.db.select({ n: count() }).from(users);
        expect(n?.n).toBe(0);
      } finally {
        await handle.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
