"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Suspense, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { ReasonButton } from "@/components/ui/disabled-reason";
import type { OrganizationSummary } from "@/lib/keys-client/reshape";
import {
  mayCreateOrganization,
  mayCreateSpace,
  spaceParentOrganizations,
  type DirectoryViewer,
} from "@/lib/roles/directory";
import { ROLE_LABEL } from "@/lib/roles/names";
import { directoryQueries } from "./queries";
import { LoadError } from "@/components/ui/load-error";
import { lazyComponent } from "@/components/ui/lazy-component";
import { EmptyState, Skeleton } from "@/components/ui/list-states";

// The dialogs (react-hook-form, zod, Radix) load when first wanted, not with the page: a pointer over or
// focus on the button that opens one starts the download.
const newOrganizationDialog = lazyComponent(() =>
  import("./new-organization-dialog").then((m) => m.NewOrganizationDialog),
);
const newSpaceDialog = lazyComponent(() => import("./new-space-dialog").then((m) => m.NewSpaceDialog));
const NewOrganizationDialog = newOrganizationDialog.Component;
const NewSpaceDialog = newSpaceDialog.Component;
const preload = (dialog: { preload: () => Promise<unknown> }) => () =>
  void dialog.preload().catch(() => undefined);

const link =
  "font-medium text-indigo-700 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-indigo-300";

function count(n: number | null): string {
  return n === null ? "" : n === 1 ? "1 member" : `${n} members`;
}

/** Settings → Organizations & Spaces: the tree the viewer can reach, with their role at each. */
export function SpacesView({
  viewer,
  initial,
}: {
  viewer: DirectoryViewer;
  initial?: OrganizationSummary[];
}) {
  const tree = useQuery(directoryQueries.tree(initial));
  const newOrg = mayCreateOrganization(viewer);
  const newSpace = mayCreateSpace(viewer);
  const [dialog, setDialog] = useState<{ kind: "organization" | "space"; session: number } | null>(null);
  const open = (kind: "organization" | "space") =>
    setDialog((d) => ({ kind, session: (d?.session ?? 0) + 1 }));

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900 dark:text-white">
            Organizations &amp; Spaces
          </h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            Spaces hold service keys; organizations group spaces. Your role at each is shown beside it.
          </p>
        </div>
        <div className="flex flex-wrap items-start gap-3">
          <ReasonButton
            onClick={() => open("organization")}
            onPointerEnter={preload(newOrganizationDialog)}
            onFocus={preload(newOrganizationDialog)}
            reason={newOrg.allowed ? null : newOrg.reason}
          >
            <span aria-hidden="true">+</span> New organization
          </ReasonButton>
          <ReasonButton
            variant="primary"
            onClick={() => open("space")}
            onPointerEnter={preload(newSpaceDialog)}
            onFocus={preload(newSpaceDialog)}
            reason={newSpace.allowed ? null : newSpace.reason}
          >
            <span aria-hidden="true">+</span> New space
          </ReasonButton>
        </div>
      </div>

      {tree.isPending ? (
        <Skeleton label="Loading organizations" className="h-40" />
      ) : tree.isError ? (
        <LoadError what="organizations" message={tree.error.message} onRetry={() => void tree.refetch()} />
      ) : tree.data.length === 0 ? (
        <EmptyState
          title="No organizations yet"
          hint={
            newOrg.allowed
              ? "Start with New organization, then add a space in it for each service or team: service keys work in a space."
              : "Ask an account admin to add you to an organization."
          }
        />
      ) : (
        <ul className="space-y-4">
          {tree.data.map((org) => (
            <li
              key={org.id}
              className="rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
            >
              <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-slate-100 px-4 py-3 dark:border-slate-800">
                <div className="min-w-0">
                  <h2 className="text-base font-semibold">
                    <Link href={`/settings/organizations/${encodeURIComponent(org.id)}`} className={link}>
                      {org.name}
                    </Link>
                  </h2>
                  {org.description ? (
                    <p className="text-sm text-slate-600 dark:text-slate-400">{org.description}</p>
                  ) : null}
                </div>
                <p className="text-xs text-slate-600 dark:text-slate-400">
                  {count(org.memberCount)}
                  {org.memberCount !== null ? " · " : ""}Your role: {ROLE_LABEL[org.role]}
                </p>
              </div>
              {org.spaces.length === 0 ? (
                <p className="px-4 py-3 text-sm text-slate-600 dark:text-slate-400">
                  {spaceParentOrganizations(viewer).some((o) => o.id === org.id)
                    ? "No spaces yet. Add one with New space: service keys work in a space."
                    : "No spaces you can see."}
                </p>
              ) : (
                <ul
                  aria-label={`Spaces in ${org.name}`}
                  className="divide-y divide-slate-100 dark:divide-slate-800"
                >
                  {org.spaces.map((space) => (
                    <li
                      key={space.id}
                      className="flex flex-wrap items-baseline justify-between gap-2 px-4 py-3 sm:pl-8"
                    >
                      <div className="min-w-0">
                        <Link href={`/settings/spaces/${encodeURIComponent(space.id)}`} className={link}>
                          {space.name}
                        </Link>
                        {space.isPrivate ? (
                          <span className="ml-2">
                            <Badge>Private</Badge>
                          </span>
                        ) : null}
                        {space.description ? (
                          <p className="text-sm text-slate-600 dark:text-slate-400">{space.description}</p>
                        ) : null}
                      </div>
                      <p className="text-xs text-slate-600 dark:text-slate-400">
                        {count(space.memberCount)}
                        {space.memberCount !== null ? " · " : ""}Your role: {ROLE_LABEL[space.role]}
                      </p>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}

      <Suspense fallback={null}>
        {dialog?.kind === "organization" ? (
          <NewOrganizationDialog key={dialog.session} onClose={() => setDialog(null)} />
        ) : null}
      </Suspense>
      <Suspense fallback={null}>
        {dialog?.kind === "space" ? (
          <NewSpaceDialog
            key={dialog.session}
            organizations={spaceParentOrganizations(viewer)}
            onClose={() => setDialog(null)}
          />
        ) : null}
      </Suspense>
    </div>
  );
}
