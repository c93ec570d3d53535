/** One source of time, passed in, so expiry and grace boundaries can be tested exactly. */
export interface Clock {
  now(): Date;
}

/**
 * The Date constructor as it was when this module loaded. In the server process Next.js later
 * replaces the global `Date` with a wrapper that looks up two AsyncLocalStorage stores on every
 * `new Date()` (next/dist/server/node-environment-extensions/date.js, for prerendering); the keys API
 * never runs inside a page render, and the wrapper showed up in its profile (issue 11). server.ts
 * imports this module before it loads Next.js.
 */
const NativeDate = Date;

export const systemClock: Clock = { now: () => new NativeDate() };

/** A clock that moves only when told to. For tests. */
export class ManualClock implements Clock {
  private ms: number;
  constructor(start: Date | string | number = "2026-01-01T00:00:00.000Z") {
    this.ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.ms);
  }
  set(at: Date | string | number): void {
    this.ms = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}
