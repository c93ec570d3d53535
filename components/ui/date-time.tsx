"use client";

import { useSyncExternalStore } from "react";

const formats = (timeZone?: string) => ({
  date: new Intl.DateTimeFormat("en", { dateStyle: "medium", ...(timeZone ? { timeZone } : {}) }),
  time: new Intl.DateTimeFormat("en", { timeStyle: "short", ...(timeZone ? { timeZone } : {}) }),
});
const LOCAL = formats();
const UTC = formats("UTC");

const noSubscription = () => () => undefined;
const inBrowser = () => true;
const onServer = () => false;

/**
 * "Dec 6, 2026, 5:14 PM" in the viewer's time zone. The server does not know that zone, so the server
 * and the hydrating browser both render UTC (saying so), and the browser switches to its own zone right
 * after hydration: the same text on both sides, no hydration mismatch. A narrow column wraps it between
 * the date and the time only.
 */
export function DateTime({ iso, className }: { iso: string; className?: string }) {
  const local = useSyncExternalStore(noSubscription, inBrowser, onServer);
  const at = new Date(iso);
  const { date, time } = local ? LOCAL : UTC;
  return (
    <time dateTime={iso} className={className}>
      <span className="whitespace-nowrap">{date.format(at)},</span>{" "}
      <span className="whitespace-nowrap">
        {time.format(at)}
        {local ? "" : " UTC"}
      </span>
    </time>
  );
}
