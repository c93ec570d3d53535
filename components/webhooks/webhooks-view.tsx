"use client";

import { useQuery } from "@tanstack/react-query";
import { Suspense, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { lazyComponent } from "@/components/ui/lazy-component";
import { LoadError } from "@/components/ui/load-error";
import { useToast } from "@/components/ui/toast";
import { failureMessage } from "@/components/ui/action-failure";
import type { WebhookRow } from "@/lib/dashboard/actions/webhooks";
import type { Viewer } from "@/components/api-keys/types";
import { webhookQueries } from "./queries";
import { WebhookCard } from "./webhook-card";
import { EmptyState } from "@/components/ui/list-states";

// The dialogs load when first wanted (a pointer over or focus on New webhook), not with the page.
const reveal = lazyComponent(() =>
  import("@/components/api-keys/reveal-key-dialog").then((m) => m.RevealKeyDialog),
);
const newWebhook = lazyComponent(() =>
  Promise.all([import("./new-webhook-dialog"), reveal.preload()]).then(([m]) => m.NewWebhookDialog),
);
const NewWebhookDialog = newWebhook.Component;
const RevealKeyDialog = reveal.Component;
const preloadNewWebhook = () => void newWebhook.preload().catch(() => undefined);

const SECRET_TEXTS = {
  title: "Save your signing secret",
  ready: "is ready. Copy its signing secret now: your service verifies each delivery's signature with it.",
  label: "Signing secret",
  warning: "This secret will not be shown again.",
  lost: "The secret cannot be shown again. If you lose it, delete the webhook and create a new one.",
};

/** Settings → Webhooks: the webhooks of the organizations the viewer administers. */
export function WebhooksView({
  viewer,
  first,
}: {
  viewer: Viewer;
  first?: { rows: WebhookRow[]; fetchedAt: number };
}) {
  const toast = useToast();
  const [opening] = useState(first);
  const query = useQuery(webhookQueries.list(opening));
  const organizations = useMemo(
    () => viewer.organizations.filter((o) => o.role === "admin").map((o) => ({ id: o.id, name: o.name })),
    [viewer],
  );
  const organizationName = (id: string) =>
    organizations.find((o) => o.id === id)?.name ?? "Unknown organization";

  const [creating, setCreating] = useState(false);
  const [session, setSession] = useState(0);
  const [revealMounted, setRevealMounted] = useState(false);
  const [revealed, setRevealed] = useState<{ secret: string; name: string } | null>(null);
  const openCreate = () => {
    setSession((n) => n + 1);
    setCreating(true);
    setRevealMounted(true);
  };
  const onCreated = ({ name, signingSecret }: { name: string; signingSecret: string | null }) => {
    if (signingSecret) setRevealed({ secret: signingSecret, name });
    toast(`Webhook “${name}” is ready.`, { action: "issued" });
  };

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 flex-1 basis-64">
          <h1 className="text-2xl font-semibold text-slate-900 dark:text-white">Webhooks</h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            Keydesk tells your services when keys are created, refreshed, revoked, about to expire or leaked.
          </p>
        </div>
        <Button
          variant="primary"
          onClick={openCreate}
          onPointerEnter={preloadNewWebhook}
          onFocus={preloadNewWebhook}
        >
          <span aria-hidden="true">+</span> New webhook
        </Button>
      </div>

      {query.isPending ? (
        <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
          Loading webhooks…
        </p>
      ) : query.isError ? (
        <LoadError
          what="webhooks"
          message={failureMessage(query.error, "The keys service could not be reached.")}
          onRetry={() => void query.refetch()}
        />
      ) : query.data.length === 0 ? (
        <EmptyState
          size="section"
          title="No webhooks yet"
          hint="Create one to hear of your organization's key events."
        />
      ) : (
        <div className="space-y-4">
          {query.data.map((w) => (
            <WebhookCard key={w.id} webhook={w} organization={organizationName(w.organizationId)} />
          ))}
        </div>
      )}

      <Suspense fallback={null}>
        {creating ? (
          <NewWebhookDialog
            key={session}
            organizations={organizations}
            open={creating}
            onOpenChange={setCreating}
            onCreated={onCreated}
          />
        ) : null}
      </Suspense>
      <Suspense fallback={null}>
        {revealMounted ? (
          <RevealKeyDialog
            secret={revealed?.secret ?? null}
            name={revealed?.name ?? ""}
            texts={SECRET_TEXTS}
            onClose={() => setRevealed(null)}
          />
        ) : null}
      </Suspense>
    </div>
  );
}
