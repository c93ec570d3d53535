"use client";

import { queryOptions } from "@tanstack/react-query";
import { unwrap } from "@/components/ui/action-failure";
import { listWebhooksAction, type WebhookRow } from "@/lib/dashboard/actions/webhooks";

/** One place for the webhooks list's cache key. Deliveries change on their own: it refreshes itself. */
export const webhookQueries = {
  all: ["webhooks"] as const,
  list: (first?: { rows: WebhookRow[]; fetchedAt: number }) =>
    queryOptions({
      queryKey: webhookQueries.all,
      queryFn: async () => unwrap(await listWebhooksAction({})),
      refetchInterval: 10_000,
      ...(first ? { initialData: first.rows, initialDataUpdatedAt: first.fetchedAt } : {}),
    }),
};
