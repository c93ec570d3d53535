/**
 * Keydesk administration from the command line.
 *
 *   npm run admin -- create-admin --email ada@example.com --name "Ada Lovelace" [--account "Acme"]
 *   npm run admin -- restore keydesk-backup-….tar.gz [--data-dir DIR] [--force]
 *
 * The password is read from an interactive prompt (echo off, asked twice) when stdin is a terminal,
 * else from the first line of stdin. It is never a flag and never printed.
 * Exit codes: 0 done, 1 failed, 2 usage.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { systemClock } from "../lib/clock";
import { openDatabase, parseDatabaseUrl, type DatabaseHandle } from "../lib/db/client";
import { createAccountAdmin } from "../lib/directory/admin";
import { recordRestore } from "../lib/directory/backup";
import { readDumpFile, restoreEmbedded, RestoreRefusedError } from "../lib/db/embedded-backup";
import { MIN_PASSWORD } from "../lib/schemas/password-rules";
import { DomainError } from "../lib/domain/errors";

const USAGE = `Usage:
  npm run admin -- create-admin --email <email> --name <name> [--account <account name>]

Creates an account admin on the database of DATABASE_URL (default: embedded ./.data/pglite).
If no account exists yet, creates one (named by --account, default "Keydesk"); otherwise adds the
admin to it, and --account, when given, must be its name.
Flags it does not know, or flags given twice, are usage errors (exit code 2).
The password is asked for twice (not echoed) on a terminal, or read from the first line of stdin:
  printf '%s\\n' "$ADMIN_PASSWORD" | npm run admin -- create-admin --email … --name …

  npm run admin -- restore <backup file> [--data-dir <dir>] [--force]

Restores a backup from POST /v2/backup into the embedded database's data directory: --data-dir, else
the directory of DATABASE_URL (pglite:<dir>), else ./.data/pglite. The server must be stopped. A
directory with anything in it is refused unless --force, which moves its contents aside (never deletes
them) and says where. Then runs this build's migrations and prints what it restored.
On PostgreSQL, restore with pg_restore instead (docs/backups.md).`;

class UsageError extends Error {}

function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: {
        email: { type: "string" },
        name: { type: "string" },
        account: { type: "string" },
        "data-dir": { type: "string" },
        force: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    if (argv.some((a) => a === "--password" || a.startsWith("--password=")))
      throw new UsageError("Passwords are never taken as flags: they would end up in shell history.");
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals, tokens } = parsed;
  // Every flag once: a second value would silently win over the first.
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} is given more than once.`);
    seen.add(token.name);
  }
  if (values.help) return { help: true as const };
  const [command, ...rest] = positionals;
  if (command === "restore") {
    const [file, ...more] = rest;
    if (!file) throw new UsageError("restore needs the backup file.");
    if (more.length > 0) throw new UsageError(`Unexpected argument: ${more[0]}`);
    for (const flag of ["email", "name", "account"] as const)
      if (values[flag] !== undefined) throw new UsageError(`--${flag} is not a flag of restore.`);
    return {
      help: false as const,
      command: "restore" as const,
      file,
      dataDir: values["data-dir"],
      force: values.force ?? false,
    };
  }
  if (values["data-dir"] !== undefined || values.force !== undefined)
    throw new UsageError("--data-dir and --force are flags of restore.");
  if (command !== "create-admin")
    throw new UsageError(command ? `Unknown command: ${command}` : "No command.");
  if (rest.length > 0) throw new UsageError(`Unexpected argument: ${rest[0]}`);
  if (!values.email) throw new UsageError("--email is required.");
  if (!values.name) throw new UsageError("--name is required.");
  return {
    help: false as const,
    command: "create-admin" as const,
    email: values.email,
    name: values.name,
    account: values.account,
  };
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let value = "";
    // Echo off before the prompt appears, so that nothing typed after it is ever shown.
    stdin.setRawMode(true);
    process.stderr.write(question);
    stdin.resume();
    stdin.setEncoding("utf8");
    const finish = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stderr.write("\n");
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") return finish();
        if (ch === "\u0003" || ch === "\u0004") return finish(new Error("Cancelled."));
        if (ch === "\u007f" || ch === "\b") value = [...value].slice(0, -1).join("");
        else if (ch >= " ") value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

/** The first line of stdin (without its line ending). */
async function readFirstLine(): Promise<string> {
  let data = "";
  process.stdin.setEncoding("utf8");
  for await (const chunk of process.stdin) {
    data += String(chunk);
    if (data.includes("\n")) break;
  }
  return data.split(/\r?\n/, 1)[0] ?? "";
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) return readFirstLine();
  const first = await promptHidden(`Password (at least ${MIN_PASSWORD} characters): `);
  const second = await promptHidden("Repeat the password: ");
  if (first !== second) throw new DomainError("invalid", "The passwords do not match.");
  return first;
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parse(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.command === "restore") return restore(args);

  const password = await readPassword();
  if ([...password].length < MIN_PASSWORD) {
    console.error(`The password must be at least ${MIN_PASSWORD} characters.`);
    return 1;
  }

  let handle: DatabaseHandle | undefined;
  try {
    handle = await openDatabase(parseDatabaseUrl(process.env.DATABASE_URL));
    const result = await createAccountAdmin({
      db: handle.db,
      clock: systemClock,
      email: args.email,
      name: args.name,
      password,
      accountName: args.account,
    });
    console.log(
      result.accountCreated
        ? `Created account "${result.accountName}" and its admin ${args.email.trim().toLowerCase()}.`
        : `Added admin ${args.email.trim().toLowerCase()} to account "${result.accountName}".`,
    );
    return 0;
  } catch (err) {
    // Domain errors are written for people; anything else gets its message only (never a secret in it).
    console.error(
      err instanceof DomainError ? err.detail : `Failed: ${err instanceof Error ? err.message : err}`,
    );
    return 1;
  } finally {
    await handle?.close();
  }
}

/** `restore`: a backup from POST /v2/backup into an embedded database's data directory (docs/backups.md). */
async function restore(args: { file: string; dataDir?: string; force: boolean }): Promise<number> {
  let dataDir: string;
  if (args.dataDir) dataDir = path.resolve(args.dataDir);
  else {
    const target = parseDatabaseUrl(process.env.DATABASE_URL);
    if (target.kind !== "pglite" || !target.dataDir) {
      console.error(
        target.kind === "postgres"
          ? "DATABASE_URL is PostgreSQL: restore a pg_dump file with pg_restore (docs/backups.md), or give --data-dir."
          : "DATABASE_URL is an in-memory database: give --data-dir.",
      );
      return 1;
    }
    dataDir = target.dataDir;
  }
  try {
    let bytes: Buffer;
    try {
      bytes = readFileSync(args.file);
    } catch (err) {
      throw new RestoreRefusedError(
        `Cannot read ${args.file}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(err)}.`,
      );
    }
    const dump = readDumpFile(bytes, args.file);
    const result = await restoreEmbedded({
      dump,
      dataDir,
      force: args.force,
      now: systemClock.now(),
      inspect: (db) => recordRestore({ db, clock: systemClock, fileName: path.basename(args.file) }),
    });
    if (result.movedAsideTo) console.log(`Moved what was in ${dataDir} to ${result.movedAsideTo}.`);
    const { details } = result;
    console.log(
      `Restored ${args.file} into ${dataDir}: ${details.accounts} account${details.accounts === 1 ? "" : "s"}, ` +
        `${details.people} ${details.people === 1 ? "person" : "people"}, ${details.activeKeys} active and ` +
        `${details.revokedKeys} revoked API keys.`,
    );
    console.log(
      result.migrationsApplied > 0
        ? `Applied ${result.migrationsApplied} migration${result.migrationsApplied === 1 ? "" : "s"} newer than the backup.`
        : "The backup's schema was already up to date.",
    );
    console.log(`Start the server on it: DATABASE_URL=pglite:${dataDir} npm start`);
    return 0;
  } catch (err) {
    if (err instanceof RestoreRefusedError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
