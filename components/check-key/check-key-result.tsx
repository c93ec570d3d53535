"use client";

import Link from "next/link";
import { useId, type ReactNode } from "react";
import { isExpired, relativeTime, timeOrDateTime } from "@/components/api-keys/format";
import { rowPermissions } from "@/components/api-keys/permissions";
import type { Viewer } from "@/components/api-keys/types";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { spaceContext } from "@/lib/roles/roles";
import type { LookupApiKeyResultJson } from "@/lib/schemas/api-key-lookup";

function Term({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="min-w-0 break-words text-slate-900 dark:text-slate-100">{children}</dd>
    </>
  );
}

/** The key a check found: name (a link to its page), owner, type, status, last used, and Revoke. */
export function CheckKeyResult({
  viewer,
  apiKey,
  onRevoke,
  onRevokeIntent,
}: {
  viewer: Viewer;
  apiKey: LookupApiKeyResultJson;
  onRevoke: () => void;
  onRevokeIntent: () => void;
}) {
  const headingId = useId();
  const service = apiKey.key_type === "service";
  const context = apiKey.space_id ? spaceContext(viewer, apiKey.space_id) : null;
  const creator = apiKey.created_by
    ? `${apiKey.created_by.name}${apiKey.created_by.email ? ` (${apiKey.created_by.email})` : ""}`
    : "—";
  const mayRevoke = rowPermissions(viewer, apiKey)?.revoke.allowed === true;
  const lastUsed = apiKey.last_used_at;
  return (
    <section
      aria-labelledby={headingId}
      className="rounded-lg border border-slate-200 p-4 dark:border-slate-700"
    >
      <h3 id={headingId} className="break-words font-semibold text-slate-900 dark:text-white">
        <Link
          href={`/settings/api-keys/${encodeURIComponent(apiKey.id)}`}
          className="text-indigo-700 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-indigo-300"
        >
          {apiKey.name}
        </Link>
      </h3>
      <p className="mt-0.5 font-mono text-xs text-slate-600 dark:text-slate-400">{apiKey.redacted_key}</p>
      <dl className="mt-3 grid grid-cols-[7rem_1fr] gap-x-4 gap-y-2 text-sm">
        <Term label="Type">{service ? "Service key" : "User key"}</Term>
        {service ? (
          <>
            <Term label="Space">
              {context ? `${context.space.name} (${context.organization.name})` : "A space you cannot see"}
            </Term>
            <Term label="Created by">{creator}</Term>
          </>
        ) : (
          <Term label="Owner">{creator}</Term>
        )}
        <Term label="Status">
          {apiKey.status === "revoked" ? (
            <Badge tone="red">Revoked</Badge>
          ) : isExpired(apiKey.expires_at) ? (
            <Badge tone="amber">Expired</Badge>
          ) : (
            <Badge tone="green">Active</Badge>
          )}
        </Term>
        <Term label="Last used">
          {lastUsed ? <time dateTime={lastUsed}>{relativeTime(lastUsed)}</time> : "Never"}
        </Term>
        <Term label="Matched">
          {apiKey.matched === "current" ? (
            "Its current secret"
          ) : (
            <>
              Its previous secret, replaced by a refresh
              {apiKey.grace_until && apiKey.status !== "revoked" ? (
                <>
                  {" "}
                  — works until{" "}
                  <time dateTime={apiKey.grace_until}>{timeOrDateTime(apiKey.grace_until)}</time>
                </>
              ) : null}
            </>
          )}
        </Term>
      </dl>
      {mayRevoke ? (
        <div className="mt-4 flex justify-end">
          <Button
            variant="danger"
            onClick={onRevoke}
            onPointerEnter={onRevokeIntent}
            onFocus={onRevokeIntent}
          >
            Revoke
          </Button>
        </div>
      ) : null}
    </section>
  );
}
