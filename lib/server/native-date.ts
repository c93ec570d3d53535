/**
 * Next.js replaces the global `Date` when it prepares (next/dist/server/node-environment-extensions/
 * date.js) with a wrapper that looks up two AsyncLocalStorage stores on every `new Date()` and
 * `Date.now()`, and goes through `Reflect.construct` for every other `new Date(…)`. It exists to
 * detect clock reads during prerendering with `cacheComponents`; the wrapper never changes a value.
 * The whole process paid for it — the keys API, and pg's and PGlite's parsing of every timestamp — so
 * where `cacheComponents` is off (the wrapper has nothing to detect) the original is put back.
 */
const NativeDate = Date;

/** Call after `nextApp.prepare()`. Returns whether the original `Date` was put back. */
export function restoreNativeDate(cacheComponents: boolean | undefined): boolean {
  if (cacheComponents || globalThis.Date === NativeDate) return false;
  globalThis.Date = NativeDate;
  // The wrapper also pointed `Date.prototype.constructor` at itself.
  Object.defineProperty(NativeDate.prototype, "constructor", {
    value: NativeDate,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  return true;
}
