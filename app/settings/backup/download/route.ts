import { downloadBackup } from "@/lib/dashboard/backup-download";

/** Download backup (the Backup page's form): lib/dashboard/backup-download.ts. */
export async function POST(request: Request): Promise<Response> {
  return downloadBackup(request);
}
