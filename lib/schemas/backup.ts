import { z } from "zod";

/** `GET /v2/backup` [ext]: whether this server makes backups itself (docs/backups.md). */
export const BackupInfoSchema = z
  .object({
    available: z.boolean().meta({
      description: "True on the embedded database (PGlite): `POST /v2/backup` sends a copy of it.",
    }),
    database: z.enum(["pglite", "postgres"]).meta({ description: "The kind of database this server uses." }),
    detail: z
      .string()
      .optional()
      .meta({ description: "When not available: what to do instead (PostgreSQL's `pg_dump`)." }),
  })
  .meta({ id: "BackupInfo" });
export type BackupInfo = z.infer<typeof BackupInfoSchema>;
