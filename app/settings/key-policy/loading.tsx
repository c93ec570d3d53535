export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading the key policy" className="space-y-4">
      <div className="h-8 w-40 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
      <div className="h-96 w-full max-w-2xl animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
    </div>
  );
}
