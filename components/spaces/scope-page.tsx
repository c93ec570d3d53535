import "server-only";
import { notFound, redirect } from "next/navigation";
import { listScopeMembersAction, scopeDetailAction } from "@/lib/dashboard/actions/spaces";
import { getViewer } from "@/lib/dashboard/viewer";
import type { ScopeKind } from "@/lib/schemas/directory-forms";
import { ScopeView } from "./scope-view";

/** The server half of a space's or an organization's page: one call for the scope, one for its members. */
export async function ScopePage({ kind, id }: { kind: ScopeKind; id: string }) {
  const viewer = await getViewer();
  if (!viewer) redirect("/login");
  const [detail, members] = await Promise.all([
    scopeDetailAction({ kind, id }),
    listScopeMembersAction({ kind, id }),
  ]);
  if (!detail.ok) {
    if (detail.error.code === "not_found" || detail.error.code === "invalid_request") notFound();
    throw new Error(detail.error.message);
  }
  return <ScopeView viewer={viewer} scope={detail.data} first={members.ok ? members.data : undefined} />;
}
