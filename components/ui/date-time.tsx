"use client";

import { useSyncExternalStore } from "react";

const LOCAL = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });
const UTC = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

const noSubscription = () => () => undefined;
const inBrowser = () => true;
const onServer = () => false;

/**
 * "Dec 6, 2026, 5:14 PM" in the viewer's time zone. The server does not know that zone, so the server
 * and the hydrating browser both render UTC (saying so), and the browser switches to its own zone right
 * after hydration: the same text on both sides, no hydration mismatch.
 */
export function DateTime({ iso, className }: { iso: string; className?: string }) {
  const local = useSyncExternalStore(noSubscription, inBrowser, onServer);
  const at = new Date(iso);
  return (
    <time dateTime={iso} className={className}>
      {local ? LOCAL.format(at) : `${UTC.format(at)} UTC`}
    </time>
  );
}
