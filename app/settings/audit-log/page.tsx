import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { Suspense } from "react";
import { AuditLogView } from "@/components/audit-log/audit-log-view";
import { getViewer } from "@/lib/dashboard/viewer";
import { mayOpenAuditLog } from "@/lib/roles/audit-log";
import { AuditLogLoading } from "@/components/audit-log/audit-log-loading";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditLogPage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/login?next=/settings/audit-log");
  // Not a page anyone else may know about: the 404 page, like any path that does not exist.
  if (!mayOpenAuditLog(viewer)) notFound();
  return (
    <Suspense fallback={<AuditLogLoading />}>
      <AuditLogView />
    </Suspense>
  );
}
