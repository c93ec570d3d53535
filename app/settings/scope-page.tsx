import "server-only";
import { notFound, redirect } from "next/navigation";
import { ScopeView } from "@/components/spaces/scope-view";
import { getScopeAction, listScopeMembersAction } from "@/lib/dashboard/actions/spaces";
import { getViewer } from "@/lib/dashboard/viewer";
import { reshapeScopeDetail } from "@/lib/keys-client/reshape";
import type { ScopeKind } from "@/lib/schemas/directory-forms";

/**
 * The server half of a space's or an organization's page: the viewer (the layout's /v2/me, once per
 * request), one call for the scope, one for its members.
 */
export async function ScopePage({ kind, id }: { kind: ScopeKind; id: string }) {
  const viewer = await getViewer();
  if (!viewer) redirect("/login");
  const [scope, members] = await Promise.all([
    getScopeAction({ kind, id }),
    listScopeMembersAction({ kind, id }),
  ]);
  if (!scope.ok) {
    if (scope.error.code === "not_found" || scope.error.code === "invalid_request") notFound();
    throw new Error(scope.error.message);
  }
  return (
    <ScopeView
      viewer={viewer}
      scope={reshapeScopeDetail(kind, scope.data, viewer)}
      first={members.ok ? members.data : undefined}
    />
  );
}
