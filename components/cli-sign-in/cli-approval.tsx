"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { decideCliSignInAction } from "@/lib/dashboard/actions/cli-sign-in";

/**
 * Approve or Deny a sign-in of the ax CLI. Either answer sends the browser on to the authorization
 * server (a full page load: it is not a dashboard page), which hands the CLI its code or its refusal.
 */
export function CliApproval({ uid }: { uid: string }) {
  const [pending, setPending] = useState<"approve" | "deny" | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function decide(decision: "approve" | "deny") {
    setPending(decision);
    setError(null);
    const result = await decideCliSignInAction({ uid, decision });
    if (result.ok) {
      window.location.assign(result.data.redirect_to);
      return;
    }
    setPending(null);
    setError(result.error.message);
  }

  return (
    <div className="mt-6 space-y-4">
      <FormError message={error} />
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" disabled={pending !== null} onClick={() => void decide("deny")}>
          {pending === "deny" ? "Denying…" : "Deny"}
        </Button>
        <Button variant="primary" disabled={pending !== null} onClick={() => void decide("approve")}>
          {pending === "approve" ? "Approving…" : "Approve"}
        </Button>
      </div>
    </div>
  );
}
