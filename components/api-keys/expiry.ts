import {
  EXPIRATION_CHOICES,
  EXPIRATION_LABEL,
  expiresAtFor,
  type RefreshExpirationChoice,
} from "@/lib/schemas/api-key-forms";
import { shortDate } from "./format";

export interface ExpirationOption {
  value: RefreshExpirationChoice;
  label: string;
  /** Beyond the account's lifetime cap (the reason is the select's hint). */
  disabled?: boolean;
}

/** New API Key: Never, 30, 60, 90 days, Custom date. */
export const NEW_KEY_EXPIRATION_OPTIONS: ExpirationOption[] = EXPIRATION_CHOICES.map((value) => ({
  value,
  label: EXPIRATION_LABEL[value],
}));

const isFuture = (iso: string | undefined, now: number): iso is string =>
  iso !== undefined && new Date(iso).getTime() > now;

/** Refresh API Key: first "Keep current expiry: <date>" while the key has a future expiry. */
export function refreshExpirationOptions(current: string | undefined, now: number): ExpirationOption[] {
  const keep: ExpirationOption[] = isFuture(current, now)
    ? [{ value: "keep", label: `Keep current expiry: ${shortDate(current)}` }]
    : [];
  return [...keep, ...NEW_KEY_EXPIRATION_OPTIONS];
}

/**
 * What Refresh preselects: the key's own expiry while it is in the future (so refreshing never
 * silently extends a key); for a key that never expires or has expired, what a new key of its type
 * gets (`fallback`: the policy's default lifetime, else 90 days), never Never.
 */
export function defaultRefreshExpiration<T extends { expiration: RefreshExpirationChoice }>(
  current: string | undefined,
  now: number,
  fallback: T,
): T | { expiration: "keep"; expirationDate: "" } {
  return isFuture(current, now) ? { expiration: "keep", expirationDate: "" } : fallback;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The new expiry a choice means (RFC 3339), undefined = never; null while a custom date is unfinished. */
export function chosenExpiresAt(
  choice: RefreshExpirationChoice,
  date: string,
  current: string | undefined,
  now: number,
): string | undefined | null {
  if (choice === "keep") return current;
  if (choice === "custom" && !DATE.test(date)) return null;
  return expiresAtFor(choice, date, new Date(now));
}

/** Says whether a refresh extends or shortens the key's life; null when it keeps it. */
export function expiryChangeNote(
  current: string | undefined,
  next: string | undefined | null,
  now: number,
): string | null {
  if (next === null) return null;
  const currentMs = current === undefined ? Infinity : new Date(current).getTime();
  const nextMs = next === undefined ? Infinity : new Date(next).getTime();
  if (nextMs === currentMs) return null;
  const was =
    current === undefined
      ? "it never expired"
      : isFuture(current, now)
        ? `was ${shortDate(current)}`
        : "it had expired";
  if (nextMs > currentMs) {
    return next === undefined
      ? `This extends the key: it will never expire (${was}).`
      : `This extends the key to ${shortDate(next)} (${was}).`;
  }
  return `This shortens the key's life: it will expire on ${next === undefined ? "" : shortDate(next)} (${was}).`;
}
