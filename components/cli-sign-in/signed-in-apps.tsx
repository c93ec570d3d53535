"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { FormError } from "@/components/ui/form-error";
import { revokeSignedInAppAction } from "@/lib/dashboard/actions/cli-sign-in";
import type { SignedInApp } from "@/lib/schemas/cli-sign-in";

/** The person's signed-in apps (each `ax auth login` they approved), each with Revoke. */
export function SignedInApps({ apps }: { apps: SignedInApp[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [, startTransition] = useTransition();

  async function revoke(app: SignedInApp) {
    setRevoking(app.id);
    setError(null);
    const result = await revokeSignedInAppAction({ id: app.id });
    if (!result.ok) setError(result.error.message);
    setRevoking(null);
    startTransition(() => router.refresh());
  }

  if (apps.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300">
        No apps are signed in as you. Run <code>ax auth login</code> to sign the ax CLI in.
      </p>
    );
  }
  return (
    <div className="space-y-3">
      <FormError message={error} />
      <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
        {apps.map((app) => (
          <li key={app.id} className="flex flex-wrap items-center justify-between gap-3 p-4">
            <div className="min-w-0 text-sm">
              <p className="font-medium text-slate-900 dark:text-white">{app.client_name}</p>
              <p className="text-slate-600 dark:text-slate-400">
                Signed in <DateTime iso={app.signed_in_at} /> · ends <DateTime iso={app.expires_at} /> at the
                latest
              </p>
            </div>
            <Button
              variant="danger-outline"
              aria-label={`Revoke ${app.client_name} signed in ${new Date(app.signed_in_at).toISOString()}`}
              disabled={revoking !== null}
              onClick={() => void revoke(app)}
            >
              {revoking === app.id ? "Revoking…" : "Revoke"}
            </Button>
          </li>
        ))}
      </ul>
    </div>
  );
}
