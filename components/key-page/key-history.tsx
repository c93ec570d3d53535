"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { listApiKeyEventsAction } from "@/lib/dashboard/actions/api-key-details";
import type { ApiKeyEventListJson } from "@/lib/schemas/api-key-details";
import { at, eventLabel } from "./format";
import { Section } from "./section";

type KeyEvent = ApiKeyEventListJson["events"][number];

/** What happened to the key, newest first, with who and when; older events on demand. */
export function KeyHistory({ keyId, first }: { keyId: string; first: ApiKeyEventListJson | null }) {
  const [events, setEvents] = useState<KeyEvent[]>(first?.events ?? []);
  const [cursor, setCursor] = useState(first?.pagination.next_cursor);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(first ? null : "The history could not be loaded.");

  const loadMore = async () => {
    setLoading(true);
    setError(null);
    const result = await listApiKeyEventsAction({ id: keyId, ...(cursor ? { cursor } : {}) });
    setLoading(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setEvents((shown) => [...shown, ...result.data.events]);
    setCursor(result.data.pagination.next_cursor);
  };

  return (
    <Section title="History">
      {events.length === 0 && !error ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">Nothing has happened to this key yet.</p>
      ) : (
        <ol aria-label="Events" className="divide-y divide-slate-200 dark:divide-slate-800">
          {events.map((event) => (
            <li
              key={event.id}
              className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-2 text-sm"
            >
              <span className="text-slate-900 dark:text-slate-100">
                <span className="font-medium">{eventLabel(event.operation_name, event.variables)}</span>{" "}
                <span className="text-slate-700 dark:text-slate-300">by {event.user?.name ?? "Keydesk"}</span>
                {event.ip ? (
                  <span className="text-slate-600 dark:text-slate-400"> from {event.ip}</span>
                ) : null}
              </span>
              <time dateTime={event.created_at} className="text-slate-600 dark:text-slate-400">
                {at(event.created_at)}
              </time>
            </li>
          ))}
        </ol>
      )}
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
      {cursor || (error && !first) ? (
        <Button className="mt-3" onClick={() => void loadMore()} disabled={loading}>
          {loading ? "Loading…" : error ? "Retry" : "Load more"}
        </Button>
      ) : null}
    </Section>
  );
}
