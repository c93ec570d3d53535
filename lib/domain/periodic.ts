/**
 * Runs `task` now and then `intervalMs` after each run ends — one run at a time, never overlapping —
 * until stopped. `stop` waits for a run in progress, so the database can close after it. A failed run
 * goes to `failed` and the next one comes as usual.
 */
export function runPeriodically(
  task: () => Promise<unknown>,
  intervalMs: number,
  failed: (err: unknown) => void,
): { stop(): Promise<void> } {
  if (intervalMs <= 0) return { stop: () => Promise.resolve() };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = task()
      .then(() => undefined, failed)
      .finally(() => {
        if (!stopped) timer = setTimeout(run, intervalMs);
      });
  };
  run();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** An interval in seconds from the environment variable `name`, in ms: unset or blank → the default; 0 → off. */
export function intervalMsFromEnv(
  name: string,
  defaultSeconds: number,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const raw = env[name];
  const seconds = raw === undefined || raw.trim() === "" ? defaultSeconds : Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : defaultSeconds * 1000;
}
