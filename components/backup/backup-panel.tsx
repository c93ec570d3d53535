import type { BackupInfo } from "@/lib/schemas/backup";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";

/** What went wrong with the last download (`?error=` from app/settings/backup/download/route.ts). */
const ERRORS: Record<string, string> = {
  busy: "A backup of this server is already under way. Try again in a moment.",
  unavailable: "This server keeps its data in PostgreSQL: back it up with pg_dump.",
  failed: "The backup could not be made. Try again; if it keeps failing, look at the server's log.",
};

/**
 * Download backup, as a plain form post (it works without JavaScript, and the session stays in its
 * cookie, never in a URL): the browser saves the file the server names. On PostgreSQL, what to do
 * instead.
 */
export function BackupPanel({ info, error }: { info: BackupInfo; error?: string }) {
  const message = error && Object.hasOwn(ERRORS, error) ? ERRORS[error] : undefined;
  if (!info.available)
    return (
      <section
        aria-labelledby="backup-postgres"
        className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-700 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300"
      >
        <h2 id="backup-postgres" className="font-medium text-slate-900 dark:text-white">
          Use PostgreSQL&apos;s own backups
        </h2>
        <p>{info.detail}</p>
        <pre className="overflow-x-auto rounded-md bg-slate-100 p-3 text-xs dark:bg-slate-800">
          pg_dump --format=custom --file=keydesk.dump &quot;$DATABASE_URL&quot;
        </pre>
      </section>
    );
  return (
    <section
      aria-labelledby="backup-download"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-700 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300"
    >
      <h2 id="backup-download" className="font-medium text-slate-900 dark:text-white">
        Download a backup
      </h2>
      <p>
        The embedded database is copied while Keydesk goes on serving, and downloaded as a{" "}
        <code>.tar.gz</code> file. It takes a few seconds. Keep the file as safe as the server: it holds
        everything, webhooks&apos; secrets included (API keys and passwords only as digests).
      </p>
      <p>
        To restore it, stop the server and run <code>npm run admin -- restore &lt;file&gt;</code>.
      </p>
      <FormError message={message} />
      <form action="/settings/backup/download" method="post">
        <Button type="submit" variant="primary">
          Download backup
        </Button>
      </form>
    </section>
  );
}
