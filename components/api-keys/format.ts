const RELATIVE = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const DATE = new Intl.DateTimeFormat("en", { year: "numeric", month: "short", day: "numeric" });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/** "in 12 days", "3 minutes ago", "now". */
export function relativeTime(iso: string, now = Date.now()): string {
  const diff = new Date(iso).getTime() - now;
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return RELATIVE.format(Math.round(diff / ms), unit);
  }
  return "just now";
}

export function shortDate(iso: string): string {
  return DATE.format(new Date(iso));
}

export function isExpired(expiresAt: string | undefined, now = Date.now()): boolean {
  return expiresAt !== undefined && new Date(expiresAt).getTime() <= now;
}

const TIME = new Intl.DateTimeFormat("en", { hour: "numeric", minute: "2-digit" });
const DAY_TIME = new Intl.DateTimeFormat("en", {
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
});

/** "10:32 AM" today, "Nov 29, 10:32 AM" on another day: short enough for one line of a table cell. */
export function timeOrDateTime(iso: string, now = Date.now()): string {
  const at = new Date(iso);
  return at.toDateString() === new Date(now).toDateString() ? TIME.format(at) : DAY_TIME.format(at);
}
