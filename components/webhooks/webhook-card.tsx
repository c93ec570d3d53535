"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { failureMessage, unwrap } from "@/components/ui/action-failure";
import { testWebhookAction, type WebhookAttemptRow, type WebhookRow } from "@/lib/dashboard/actions/webhooks";
import { webhookQueries } from "./queries";

const ok = (status: number | null) => status !== null && status >= 200 && status < 300;

function DeliveryStatus({ status }: { status: number | null }) {
  if (status === null) return <Badge tone="red">No response</Badge>;
  return <Badge tone={ok(status) ? "green" : "red"}>{status}</Badge>;
}

function when(iso: string) {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

function Attempt({ attempt }: { attempt: WebhookAttemptRow }) {
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm">
      <DeliveryStatus status={attempt.statusCode} />
      <span className="font-mono text-xs text-slate-800 dark:text-slate-200">
        {attempt.eventType ?? "Event"}
      </span>
      <span className="text-slate-600 dark:text-slate-400">attempt {attempt.attemptNumber}</span>
      <time dateTime={attempt.createdAt} className="text-slate-600 dark:text-slate-400">
        {when(attempt.createdAt)}
      </time>
      {attempt.errorMessage ? (
        <span className="basis-full break-words text-red-700 dark:text-red-300">{attempt.errorMessage}</span>
      ) : null}
    </li>
  );
}

/** One webhook: where it sends, how it authenticates, Send test, and its recent deliveries. */
export function WebhookCard({ webhook, organization }: { webhook: WebhookRow; organization: string }) {
  const queryClient = useQueryClient();
  const test = useMutation({
    mutationFn: async () => unwrap(await testWebhookAction({ id: webhook.id })),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: webhookQueries.all }),
  });
  const headingId = `webhook-${webhook.id.replace(/[^A-Za-z0-9]/g, "")}`;

  return (
    <section
      aria-labelledby={headingId}
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 flex-1 basis-64 space-y-1">
          <h2 id={headingId} className="text-base font-semibold text-slate-900 dark:text-white">
            {webhook.name}
          </h2>
          <p className="break-all font-mono text-xs text-slate-700 dark:text-slate-300">{webhook.url}</p>
          <dl className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-600 dark:text-slate-400">
            <div className="flex gap-1">
              <dt>Organization:</dt>
              <dd className="text-slate-800 dark:text-slate-200">{organization}</dd>
            </div>
            <div className="flex gap-1">
              <dt>Authentication:</dt>
              <dd className="text-slate-800 dark:text-slate-200">
                {webhook.authType === "HMAC_SHA256"
                  ? `HMAC signature (${webhook.signingSecretHint ?? "whsec_…"})`
                  : "Bearer token"}
              </dd>
            </div>
          </dl>
        </div>
        <Button
          onClick={() => test.mutate()}
          disabled={test.isPending}
          aria-describedby={`${headingId}-test`}
        >
          {test.isPending ? "Sending…" : "Send test"}
        </Button>
      </div>
      <p id={`${headingId}-test`} aria-live="polite" className="mt-2 text-sm">
        {test.isSuccess ? (
          ok(test.data.statusCode) ? (
            <span className="text-emerald-700 dark:text-emerald-300">
              Test delivered: the endpoint answered {test.data.statusCode}.
            </span>
          ) : (
            <span className="text-red-700 dark:text-red-300">
              Test failed ({test.data.statusCode}): {test.data.errorMessage ?? "the endpoint refused it."}
            </span>
          )
        ) : test.isError ? (
          <span className="text-red-700 dark:text-red-300">
            {failureMessage(test.error, "The test could not be sent. Try again.")}
          </span>
        ) : null}
      </p>
      <h3 className="mt-3 text-sm font-medium text-slate-800 dark:text-slate-200">Recent deliveries</h3>
      {webhook.recent.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          No deliveries yet. Send a test, or wait for a key event.
        </p>
      ) : (
        <ul
          aria-label={`Recent deliveries of ${webhook.name}`}
          className="divide-y divide-slate-100 dark:divide-slate-800"
        >
          {webhook.recent.map((a) => (
            <Attempt key={`${a.eventId}-${a.attemptNumber}`} attempt={a} />
          ))}
        </ul>
      )}
    </section>
  );
}
