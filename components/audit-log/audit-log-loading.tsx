import { PageSkeleton } from "@/components/ui/list-states";

/** The audit log page while it loads (no route-level loading.tsx: it would turn the 404 for others into a 200). */
export function AuditLogLoading() {
  return <PageSkeleton label="Loading the audit log" blocks={["h-8 w-40", "h-40 w-full"]} />;
}
