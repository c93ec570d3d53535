import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { BackupPanel } from "@/components/backup/backup-panel";
import { FormError } from "@/components/ui/form-error";
import { getBackupInfoAction } from "@/lib/dashboard/actions/backup";
import { getViewer } from "@/lib/dashboard/viewer";
import { mayCreateBackup } from "@/lib/roles/backup";

export const metadata: Metadata = { title: "Backup" };

export default async function BackupPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const viewer = await getViewer();
  if (!viewer) redirect("/login?next=/settings/backup");
  // Not a page anyone else may know about: the 404 page, like any path that does not exist.
  if (!mayCreateBackup({ accountRole: viewer.account_role, credential: "session" }).allowed) notFound();
  const [info, { error }] = await Promise.all([getBackupInfoAction({}), searchParams]);
  return (
    <div className="max-w-2xl space-y-4">
      <div>
        <h1 className="text-xl font-semibold text-slate-900 dark:text-white">Backup</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          A copy of the whole database: every person, organization, space, key and audit entry.
        </p>
      </div>
      {info.ok ? (
        <BackupPanel info={info.data} error={error} />
      ) : (
        <FormError message={`Backups could not be looked up. ${info.error.message}`} />
      )}
    </div>
  );
}
