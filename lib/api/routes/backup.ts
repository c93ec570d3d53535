/** `/v2/backup` [ext]: backups of the embedded database (docs/backups.md). */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { createBackup, describeBackups } from "../../directory/backup";
import { ProblemSchema } from "../../schemas/common";
import { BackupInfoSchema } from "../../schemas/backup";
import { clientAddress } from "../client-address";
import type { ApiDeps, ApiEnv } from "../context";
import { authErrors, bearer, errors, json } from "./common";

const notImplemented = {
  description: "The server uses PostgreSQL: back it up with `pg_dump`",
  content: { "application/problem+json": { schema: ProblemSchema } },
};

export function registerBackupRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDeps,
  auth: MiddlewareHandler<ApiEnv>,
) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/backup",
      tags: ["Backup"],
      summary: "Whether this server makes backups",
      description:
        "[ext] Account admins only. `available` is true on the embedded database (PGlite), where `POST /v2/backup` " +
        "sends a copy of it; on PostgreSQL it is false, and `detail` says to use `pg_dump`.",
      security: bearer,
      middleware: [auth] as const,
      responses: {
        200: { description: "What this server offers", content: json(BackupInfoSchema) },
        ...authErrors,
        403: errors[403],
      },
    }),
    async (c) => c.json(await describeBackups({ db: deps.db, principal: c.get("principal") }), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/backup",
      tags: ["Backup"],
      summary: "Download a backup of the database",
      description:
        "[ext] Account admins only, signed in or with their user key (a service key is refused). On the embedded " +
        "database (PGlite), a consistent copy of the whole database, taken while the server goes on serving: " +
        "PGlite's own dump of its data directory, as a gzip tarball named `keydesk-backup-<UTC time>.tar.gz`. " +
        "Restore it with `npm run admin -- restore <file>`. One backup at a time per server: another asked while one " +
        "is being made is a 409. On PostgreSQL, 501: use `pg_dump`. Writes the audit row `backup.create`.",
      security: bearer,
      middleware: [auth] as const,
      responses: {
        200: {
          description: "The backup (gzip tarball of the data directory)",
          content: { "application/gzip": { schema: z.string().meta({ format: "binary" }) } },
        },
        ...authErrors,
        403: errors[403],
        409: { ...errors[409], description: "A backup is already under way on this server" },
        501: notImplemented,
      },
    }),
    async (c) => {
      const backup = await createBackup({
        db: deps.db,
        clock: deps.clock,
        principal: c.get("principal"),
        clientAddress: clientAddress(c, deps.config),
      });
      return c.body(backup.body, 200, {
        "content-type": "application/gzip",
        "content-length": String(backup.body.length),
        "content-disposition": `attachment; filename="${backup.fileName}"`,
        "cache-control": "no-store",
      });
    },
  );
}
