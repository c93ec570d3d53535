"use server";

import { z } from "zod";
import { defineAction, fromApi } from "../define-action";

// Every export here is a public endpoint: defineAction authenticates (session cookie) and validates
// each one; the keys API decides who may (account admins). The backup file itself is downloaded by
// app/settings/backup/download/route.ts: an action cannot send a file.

/** Whether this server makes backups itself (embedded database) or says to use pg_dump. */
export const getBackupInfoAction = defineAction({ input: z.object({}).strict() }, async (_input, { api }) =>
  fromApi(await api.GET("/v2/backup")),
);
