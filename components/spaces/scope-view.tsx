"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Suspense, useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { RowMenu } from "@/components/ui/row-menu";
import type { Page, ScopeDetail, ScopeMember } from "@/lib/keys-client/reshape";
import { organizationPermissions, spacePermissions, type DirectoryViewer } from "@/lib/roles/directory";
import { ROLE_LABEL } from "@/lib/roles/names";
import { OrganizationSpaces } from "./organization-spaces";
import { directoryQueries } from "./queries";
import { SpaceKeys } from "./space-keys";
import { LoadError } from "@/components/ui/load-error";
import { lazyComponent } from "@/components/ui/lazy-component";
import { EmptyState, Skeleton } from "@/components/ui/list-states";

// The dialogs (react-hook-form, zod, Radix) load when first wanted, not with the page: a pointer over or
// focus on the button that opens one starts the download.
const addMember = lazyComponent(() => import("./add-member-dialog").then((m) => m.AddMemberDialog));
const changeRole = lazyComponent(() => import("./change-role-dialog").then((m) => m.ChangeRoleDialog));
const removeMember = lazyComponent(() => import("./remove-member-dialog").then((m) => m.RemoveMemberDialog));
const renameScope = lazyComponent(() => import("./rename-scope-dialog").then((m) => m.RenameScopeDialog));
const deleteScope = lazyComponent(() => import("./delete-scope-dialog").then((m) => m.DeleteScopeDialog));
const AddMemberDialog = addMember.Component;
const ChangeRoleDialog = changeRole.Component;
const RemoveMemberDialog = removeMember.Component;
const RenameScopeDialog = renameScope.Component;
const DeleteScopeDialog = deleteScope.Component;
const preload =
  (...dialogs: { preload: () => Promise<unknown> }[]) =>
  () =>
    void Promise.all(dialogs.map((d) => d.preload())).catch(() => undefined);
const preloadRowDialogs = preload(changeRole, removeMember);

const th =
  "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400";
const td = "px-3 py-3 align-top text-sm";

type Open =
  | { kind: "add" | "rename" | "delete"; session: number }
  | { kind: "role" | "remove"; member: ScopeMember; session: number }
  | null;

/** A space's or an organization's page: its members, and what the viewer may change. */
export function ScopeView({
  viewer,
  scope,
  first,
}: {
  viewer: DirectoryViewer;
  scope: ScopeDetail;
  first?: Page<ScopeMember>;
}) {
  const permissions =
    scope.kind === "space"
      ? spacePermissions(viewer, scope.role, scope.organization?.role ?? null)
      : organizationPermissions(viewer, scope.role);
  const [opening] = useState(first);
  const members = useInfiniteQuery(directoryQueries.members(scope.kind, scope.id, opening));
  const rows = useMemo(() => members.data?.pages.flatMap((p) => p.items) ?? [], [members.data]);
  const [open, setOpen] = useState<Open>(null);
  const session = () => (open?.session ?? 0) + 1;
  const noun = scope.kind === "space" ? "space" : "organization";

  return (
    <div className="space-y-5">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600 dark:text-slate-400">
        <Link href="/settings/spaces" className="hover:underline">
          Organizations &amp; Spaces
        </Link>
        {scope.organization ? (
          <>
            {" / "}
            <Link
              href={`/settings/organizations/${encodeURIComponent(scope.organization.id)}`}
              className="hover:underline"
            >
              {scope.organization.name}
            </Link>
          </>
        ) : null}
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          {/* The heading is the name alone (directory.md); the badge sits beside it, not in it. */}
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-2xl font-semibold text-slate-900 dark:text-white">{scope.name}</h1>
            {scope.isPrivate ? <Badge>Private</Badge> : null}
          </div>
          {/* Two sentences, two lines: a description need not end with a full stop. */}
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            {scope.description || (scope.kind === "space" ? "A space." : "An organization.")}
          </p>
          {scope.role ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">Your role: {ROLE_LABEL[scope.role]}</p>
          ) : null}
        </div>
        <div className="flex flex-wrap gap-2">
          {permissions.rename ? (
            <Button
              onClick={() => setOpen({ kind: "rename", session: session() })}
              onPointerEnter={preload(renameScope)}
              onFocus={preload(renameScope)}
            >
              Rename
            </Button>
          ) : null}
          {permissions.delete ? (
            <Button
              variant="danger-outline"
              onClick={() => setOpen({ kind: "delete", session: session() })}
              onPointerEnter={preload(deleteScope)}
              onFocus={preload(deleteScope)}
            >
              Delete
            </Button>
          ) : null}
        </div>
      </div>

      <section aria-labelledby="members-heading" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="members-heading" className="text-lg font-semibold">
            Members
          </h2>
          {permissions.manageMembers ? (
            <Button
              variant="primary"
              onClick={() => setOpen({ kind: "add", session: session() })}
              onPointerEnter={preload(addMember)}
              onFocus={preload(addMember)}
            >
              <span aria-hidden="true">+</span> Add member
            </Button>
          ) : null}
        </div>
        {scope.kind === "space" ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Admins of {scope.organization?.name ?? "its organization"} and account admins are admins here too.
          </p>
        ) : null}

        {members.isPending ? (
          <Skeleton label="Loading members" className="h-32" />
        ) : members.isError ? (
          <LoadError what="members" message={members.error.message} onRetry={() => void members.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState
            size="section"
            title="No members yet"
            hint={
              <>
                {permissions.manageMembers
                  ? `Add the people who work in this ${noun}.`
                  : `Only admins can add members.`}
              </>
            }
          />
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <table
              aria-labelledby="members-heading"
              className="min-w-full divide-y divide-slate-200 dark:divide-slate-800"
            >
              <thead className="bg-slate-50 dark:bg-slate-900">
                <tr>
                  <th scope="col" className={th}>
                    Name
                  </th>
                  <th scope="col" className={th}>
                    Email
                  </th>
                  <th scope="col" className={th}>
                    Role
                  </th>
                  <th scope="col" className={th}>
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {rows.map((member) => (
                  <tr key={member.userId}>
                    <td className={`${td} font-medium text-slate-900 dark:text-white`}>
                      {member.name}
                      {member.status === "invited" ? (
                        <span className="ml-2">
                          <Badge tone="indigo">Invited</Badge>
                        </span>
                      ) : null}
                    </td>
                    <td className={`${td} break-all text-slate-700 dark:text-slate-300`}>{member.email}</td>
                    <td className={`${td} text-slate-700 dark:text-slate-300`}>{ROLE_LABEL[member.role]}</td>
                    <td className={`${td} text-right`}>
                      {permissions.manageMembers ? (
                        <RowMenu
                          name={member.name}
                          onIntent={preloadRowDialogs}
                          items={[
                            {
                              label: "Change role",
                              onSelect: () => setOpen({ kind: "role", member, session: session() }),
                            },
                            {
                              label: "Remove",
                              danger: true,
                              onSelect: () => setOpen({ kind: "remove", member, session: session() }),
                            },
                          ]}
                        />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {members.hasNextPage ? (
          <div className="flex justify-center">
            <Button onClick={() => void members.fetchNextPage()} disabled={members.isFetchingNextPage}>
              {members.isFetchingNextPage ? "Loading…" : "Load more"}
            </Button>
          </div>
        ) : null}
      </section>

      {scope.kind === "space" ? (
        <SpaceKeys spaceId={scope.id} spaceName={scope.name} />
      ) : (
        <OrganizationSpaces organizationId={scope.id} name={scope.name} />
      )}

      <Suspense fallback={null}>
        {open?.kind === "add" ? (
          <AddMemberDialog key={open.session} scope={scope} members={rows} onClose={() => setOpen(null)} />
        ) : null}
      </Suspense>
      <Suspense fallback={null}>
        {open?.kind === "role" ? (
          <ChangeRoleDialog
            key={open.session}
            scope={scope}
            member={open.member}
            onClose={() => setOpen(null)}
          />
        ) : null}
      </Suspense>
      <Suspense fallback={null}>
        {open?.kind === "remove" ? (
          <RemoveMemberDialog
            key={open.session}
            scope={scope}
            member={open.member}
            onClose={() => setOpen(null)}
          />
        ) : null}
      </Suspense>
      <Suspense fallback={null}>
        {open?.kind === "rename" ? (
          <RenameScopeDialog key={open.session} scope={scope} onClose={() => setOpen(null)} />
        ) : null}
      </Suspense>
      <Suspense fallback={null}>
        {open?.kind === "delete" ? (
          <DeleteScopeDialog key={open.session} scope={scope} onClose={() => setOpen(null)} />
        ) : null}
      </Suspense>
    </div>
  );
}
