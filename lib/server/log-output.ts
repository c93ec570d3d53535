/**
 * With `LOG_FORMAT=json`, every line the process writes is one JSON object, Next.js's own included:
 * `console.*` goes through the logger, and whatever else writes to stdout or stderr directly has each
 * of its lines wrapped as `{"level":…, "msg": "<the line>"}` on stdout. An uncaught error becomes one
 * line with `err` (its message and stack) before the process ends.
 */
import { formatWithOptions } from "node:util";
import type { Logger } from "../domain/logger";

type Level = "fatal" | "error" | "warn" | "info" | "debug" | "trace";
const LEVELS = new Set<string>(["fatal", "error", "warn", "info", "debug", "trace"]);
const CONSOLE_LEVEL = {
  log: "info",
  info: "info",
  warn: "warn",
  error: "error",
  debug: "debug",
  trace: "trace",
} as const;

// eslint's no-control-regex would refuse the escape character spelled literally.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g");

/** A line that is already a log object of ours (or of any JSON logger): an object with a `msg`. */
function parsedLogObject(line: string): Record<string, unknown> | null {
  if (!line.startsWith("{")) return null;
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === "object" && !Array.isArray(value) && "msg" in value
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function write(logger: Logger, fallback: Level, text: string, err?: Error): void {
  const line = text.replace(ANSI, "").trimEnd();
  const parsed = err ? null : parsedLogObject(line);
  if (parsed) {
    // A JSON line written by code that builds its own (lib/db, which may import nothing above it).
    const { level, msg, time: _time, ...fields } = parsed;
    const at = typeof level === "string" && LEVELS.has(level) ? (level as Level) : fallback;
    logger[at](fields, String(msg));
    return;
  }
  if (err) logger[fallback]({ err }, line || err.message);
  else if (line) logger[fallback](line);
}

function consoleMethod(logger: Logger, level: Level) {
  return (...args: unknown[]) => {
    if (!logger.isLevelEnabled(level)) return;
    const err = args.find((a): a is Error => a instanceof Error);
    const rest = err ? args.filter((a) => a !== err) : args;
    write(logger, level, rest.length ? formatWithOptions({ colors: false }, ...rest) : "", err);
  };
}

/** Splits what a stream is given into lines; a line without its end yet waits for the next write. */
function lineWrapper(logger: Logger, level: Level) {
  let partial = "";
  return (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    const text =
      typeof chunk === "string"
        ? chunk
        : chunk instanceof Uint8Array
          ? Buffer.from(chunk).toString(typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8")
          : String(chunk);
    const lines = (partial + text).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) write(logger, level, line);
    const done = typeof encoding === "function" ? encoding : callback;
    if (typeof done === "function") queueMicrotask(() => (done as () => void)());
    return true;
  };
}

/** Routes the process's console and its direct stdout and stderr writes through `logger` (JSON mode). */
export function routeOutputThroughLogger(logger: Logger): void {
  for (const [method, level] of Object.entries(CONSOLE_LEVEL)) {
    Reflect.set(console, method, consoleMethod(logger, level));
  }
  process.stdout.write = lineWrapper(logger, "info") as typeof process.stdout.write;
  process.stderr.write = lineWrapper(logger, "error") as typeof process.stderr.write;
  process.on("uncaughtException", (err) => {
    logger.fatal({ err }, "uncaught exception");
    process.exit(1);
  });
}
