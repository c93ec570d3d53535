"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { LoadError } from "@/components/ui/load-error";
import { ROLE_LABEL } from "@/lib/roles/names";
import { directoryQueries } from "./queries";
import { EmptyState, Skeleton } from "@/components/ui/list-states";

const link =
  "font-medium text-indigo-700 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-indigo-300";

/** An organization's page: the spaces in it the viewer can see, each linking to its page. */
export function OrganizationSpaces({ organizationId, name }: { organizationId: string; name: string }) {
  const tree = useQuery(directoryQueries.tree());
  const spaces = tree.data?.find((o) => o.id === organizationId)?.spaces ?? [];
  return (
    <section aria-labelledby="spaces-heading" className="space-y-3">
      <h2 id="spaces-heading" className="text-lg font-semibold">
        Spaces
      </h2>
      {tree.isPending ? (
        <Skeleton label="Loading spaces" className="h-20" />
      ) : tree.isError ? (
        <LoadError what="spaces" message={tree.error.message} onRetry={() => void tree.refetch()} />
      ) : spaces.length === 0 ? (
        <EmptyState
          size="section"
          title={<>No spaces you can see in {name}</>}
          hint={
            <>
              Its admins add spaces from{" "}
              <Link href="/settings/spaces" className={link}>
                Organizations &amp; Spaces
              </Link>
              .
            </>
          }
        />
      ) : (
        <ul
          aria-label={`Spaces in ${name}`}
          className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900"
        >
          {spaces.map((space) => (
            <li key={space.id} className="flex flex-wrap items-baseline justify-between gap-2 px-4 py-3">
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
                Your role: {ROLE_LABEL[space.role]}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
