/** The audit log page while it loads (no route-level loading.tsx: it would turn the 404 for others into a 200). */
export function AuditLogLoading() {
  return (
    <div aria-busy="true" aria-label="Loading the audit log" className="space-y-4">
      <div className="h-8 w-40 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
      <div className="h-40 w-full animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
    </div>
  );
}
