"use client";

import { Button } from "@/components/ui/button";
import { API_KEYS_HOME, linkButtonClass, StatusPage } from "@/components/ui/status-page";

/** Any page that fails to render: says so, offers to try again, and a way back. No internals shown. */
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <StatusPage
      code="Error"
      title="Something went wrong"
      actions={
        <>
          <Button variant="secondary" onClick={reset}>
            Try again
          </Button>
          <a href={API_KEYS_HOME} className={linkButtonClass}>
            Back to API Keys
          </a>
        </>
      }
    >
      This page could not be shown. Try again, or go back to your API keys.
      {error.digest ? (
        <span className="mt-2 block text-xs text-slate-500">Reference: {error.digest}</span>
      ) : null}
    </StatusPage>
  );
}
