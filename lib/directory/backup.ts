/**
 * Backups of the whole database (docs/backups.md): `POST /v2/backup` on the embedded database, and
 * what `npm run admin -- restore` records and reports about a restored one.
 */
import { count, eq } from "drizzle-orm";
import type { Clock } from "../clock";
import type { Db, DbOrTx } from "../db/client";
import { dumpEmbedded, embeddedClient, fileStamp, gzipTar } from "../db/embedded-backup";
import { accounts, apiKeys, users } from "../db/schema";
import { loadAccess } from "../auth/access";
import type { Principal } from "../auth/principal";
import { writeAudit } from "../domain/audit";
import { conflict, DomainError, forbidden, unauthenticated } from "../domain/errors";
import { mayCreateBackup } from "../roles/backup";
import type { BackupInfo } from "../schemas/backup";

const USE_PG_DUMP =
  "This server keeps its data in PostgreSQL: back it up with PostgreSQL's own tools (pg_dump), as docs/backups.md shows.";

/** The caller's role as committed now; a backup is refused to all but account admins (lib/roles/backup.ts). */
async function assertMayBackUp(db: Db, principal: Principal): Promise<{ accountId: string }> {
  const access = await loadAccess(db, principal.user.id);
  if (!access) throw unauthenticated();
  const decision = mayCreateBackup({
    accountRole: access.user.accountRole,
    credential: principal.credential.type,
  });
  if (!decision.allowed) throw forbidden(decision.reason);
  return { accountId: access.user.accountId };
}

/** `GET /v2/backup` [ext]: whether this server can make a backup itself (embedded database) or not. */
export async function describeBackups(input: { db: Db; principal: Principal }): Promise<BackupInfo> {
  await assertMayBackUp(input.db, input.principal);
  return embeddedClient(input.db)
    ? { available: true, database: "pglite" }
    : { available: false, database: "postgres", detail: USE_PG_DUMP };
}

// The embedded databases with a backup under way in this process (one per database at a time).
const underWay = new WeakSet<object>();

export interface Backup {
  /** `keydesk-backup-<time>.tar.gz`. */
  fileName: string;
  /** The gzip tarball. */
  body: Uint8Array<ArrayBuffer>;
}

/**
 * `POST /v2/backup` [ext]: a consistent copy of the embedded database, taken while the server goes on
 * serving (lib/db/embedded-backup.ts). Account admins only, with a session or their user key; on
 * PostgreSQL, 501 (`pg_dump`). One backup at a time per database: another one asked while the first
 * is copied or compressed is a 409. Its audit row, `backup.create`, is written just after the copy,
 * so the file does not hold it.
 */
export async function createBackup(input: {
  db: Db;
  clock: Clock;
  principal: Principal;
  clientAddress?: string | null;
}): Promise<Backup> {
  const { accountId } = await assertMayBackUp(input.db, input.principal);
  const client = embeddedClient(input.db);
  if (!client) throw new DomainError("not_implemented", USE_PG_DUMP);
  if (underWay.has(client))
    throw conflict("A backup of this server is already under way. Try again in a moment.");
  underWay.add(client);
  try {
    const started = input.clock.now();
    const startedMs = performance.now();
    const tar = await dumpEmbedded(client);
    const copyMs = Math.round(performance.now() - startedMs);
    const body = await gzipTar(tar);
    const fileName = `keydesk-backup-${fileStamp(started)}.tar.gz`;
    await writeAudit(input.db, {
      at: input.clock.now(),
      accountId,
      actorUserId: input.principal.user.id,
      actorCredential: input.principal.credential.type,
      action: "backup.create",
      targetType: "account",
      targetId: accountId,
      clientAddress: input.clientAddress,
      details: {
        file_name: fileName,
        bytes: body.length,
        uncompressed_bytes: tar.size,
        copy_ms: copyMs,
      },
    });
    return { fileName, body };
  } finally {
    underWay.delete(client);
  }
}

export interface RestoredContents {
  accounts: number;
  /** People (not the bot users of service keys). */
  people: number;
  activeKeys: number;
  revokedKeys: number;
}

/**
 * What `npm run admin -- restore` found in the restored database, with one audit row
 * `backup.restore` per account, by the CLI.
 */
export async function recordRestore(input: {
  db: DbOrTx;
  clock: Clock;
  fileName: string;
}): Promise<RestoredContents> {
  const { db } = input;
  const accountRows = await db.select({ id: accounts.id }).from(accounts);
  const [people] = await db.select({ n: count() }).from(users).where(eq(users.kind, "human"));
  const keys = await db.select({ status: apiKeys.status, n: count() }).from(apiKeys).groupBy(apiKeys.status);
  const keysWith = (status: "active" | "revoked") => keys.find((k) => k.status === status)?.n ?? 0;
  const contents = {
    accounts: accountRows.length,
    people: people?.n ?? 0,
    activeKeys: keysWith("active"),
    revokedKeys: keysWith("revoked"),
  };
  for (const account of accountRows)
    await writeAudit(db, {
      at: input.clock.now(),
      accountId: account.id,
      actorCredential: "cli",
      action: "backup.restore",
      targetType: "account",
      targetId: account.id,
      details: {
        file_name: input.fileName,
        people: contents.people,
        api_keys: keysWith("active") + keysWith("revoked"),
      },
    });
  return contents;
}
