/**
 * The process's one logger (operations.md "Logs"): pino, one JSON object a line on stdout
 * (`LOG_FORMAT=json`, the default when stdout is not a terminal) or pino-pretty's lines
 * (`LOG_FORMAT=pretty`, the default on a terminal); `LOG_LEVEL` (default `info`). Here in lib/domain so
 * the domain folders can log too; what they log is fields they chose, never a request's headers or body.
 */
import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";

export type { Logger };
type LogFormat = "json" | "pretty";

const LEVELS = new Set(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

/**
 * Names whose values are never written, wherever they sit one level deep: a safety net, since no code
 * here logs headers or bodies.
 */
const REDACTED = ["authorization", "cookie", "password", "token", "secret", "key", "raw_key"];
const REDACT_PATHS = [
  ...REDACTED,
  ...REDACTED.map((name) => `*.${name}`),
  '["set-cookie"]',
  '*["set-cookie"]',
];

export interface LogSettings {
  format: LogFormat;
  level: string;
}

/** `LOG_FORMAT` (`json` | `pretty`; default pretty on a terminal, json otherwise) and `LOG_LEVEL`. */
export function logSettingsFromEnv(
  env: Record<string, string | undefined> = process.env,
  stdoutIsTerminal: boolean = process.stdout.isTTY === true,
): LogSettings {
  const format = env.LOG_FORMAT?.trim().toLowerCase();
  const level = env.LOG_LEVEL?.trim().toLowerCase();
  return {
    format: format === "json" || format === "pretty" ? format : stdoutIsTerminal ? "pretty" : "json",
    level: level && LEVELS.has(level) ? level : "info",
  };
}

/** A logger writing to `destination` (default stdout, written asynchronously and flushed at exit). */
export function createLogger(settings: LogSettings, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: settings.level,
    base: { pid: process.pid },
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
  };
  if (settings.format === "pretty") {
    return pino(
      options,
      destination ??
        pretty({
          colorize: process.stdout.isTTY === true,
          sync: true,
          ignore: "pid",
          translateTime: "SYS:HH:MM:ss.l",
        }),
    );
  }
  return pino(
    {
      ...options,
      // Levels by name and ISO times: what a reader and every collector understand without a mapping.
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination({ fd: 1, sync: false }),
  );
}

/** One answered request's line (operations.md "Logs"). */
interface RequestLine {
  req_id: string;
  method: string;
  /** A route pattern (`/v2/api-keys/:id`) or a name (`(pages)`): never a raw path or a query. */
  route: string;
  status: number;
  duration_ms: number;
  address: string | null;
}

const BATCH_BYTES = 65_536;

/**
 * Writes one line per answered request: at `info` each change (any method but GET and HEAD) and each
 * failure (status 400 and up), at `debug` each read that succeeded. Undefined when the level leaves
 * them all out. Successful reads are most requests by far (every verification of a key by another
 * service is one); a line each cost the cached `GET /v2/me` more than the 5 % budget and filled the
 * log at megabytes a second (BENCHMARKS.md, "Request log"), while the key's own activity already
 * records who used it and from where.
 */
export type RequestLog = (line: RequestLine) => void;

/** A read that succeeded: its line is written at debug. */
const isQuietRequest = (method: string, status: number) =>
  status < 400 && (method === "GET" || method === "HEAD");

/**
 * The request log of the hot path. In JSON mode a line is spelled here, the same fields in the same
 * order as the logger's, and lines are handed to the destination in batches (64 KiB, or 50 ms after
 * the first waiting): through pino's `info`, with one asynchronous write per line, they cost a cached
 * `GET /v2/me` several times the budget (BENCHMARKS.md, "Request log").
 */
/** Printable ASCII without `"` or `\\`: written into a JSON string as it is. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const ASCII = /^[\x00-\x7f]*$/;

export function createRequestLog(
  settings: LogSettings,
  log: Logger,
  destination?: { write(text: string): unknown; flushSync?(): void },
): RequestLog | undefined {
  if (!log.isLevelEnabled("info")) return undefined;
  const reads = log.isLevelEnabled("debug");
  if (settings.format === "pretty" || !destination)
    return (line) => {
      if (!isQuietRequest(line.method, line.status)) log.info(line, "request");
      else if (reads) log.debug(line, "request");
    };
  const pid = process.pid;
  // Lines wait as bytes, not as a string: a string built of many lines lives through garbage
  // collections as hundreds of pieces, and cost the hot path more than writing them.
  const pending = Buffer.allocUnsafe(BATCH_BYTES + 8_192);
  let used = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (used === 0) return;
    const text = pending.toString("utf8", 0, used);
    used = 0;
    destination.write(text);
  };
  // Lines still waiting when the process exits are written before pino's own last flush.
  process.once("exit", () => {
    flush();
    try {
      destination.flushSync?.();
    } catch {
      // not open yet: nothing was written to it
    }
  });
  // One ISO time per millisecond: a busy server writes many lines in each.
  let timeMs = 0;
  let time = "";
  return (line) => {
    const quiet = isQuietRequest(line.method, line.status);
    if (quiet && !reads) return;
    const now = Date.now();
    if (now !== timeMs) time = new Date((timeMs = now)).toISOString();
    // The id (a safe token or a UUID, lib/server/request-id.ts), the method (Node's parser knows
    // them all) and the route pattern (the API's own) need no escaping; the address may.
    const a = line.address;
    const address = a === null ? "null" : PLAIN.test(a) ? `"${a}"` : JSON.stringify(a);
    const text =
      `{"level":"${quiet ? "debug" : "info"}","time":"${time}","pid":${pid},"req_id":"${line.req_id}","method":"${line.method}",` +
      `"route":"${line.route}","status":${line.status},"duration_ms":${line.duration_ms},` +
      `"address":${address},"msg":"request"}\n`;
    // Written in batches: at 64 KiB, or 50 ms after the first line waiting. (A line longer than the
    // room left, only possible with a forwarded address of kilobytes, goes out on its own.) All but
    // the address is ASCII: then a character is a byte.
    const ascii = a === null || ASCII.test(a);
    const bytes = ascii ? text.length : Buffer.byteLength(text);
    if (used + bytes > pending.length) flush();
    if (bytes > pending.length) return void destination.write(text);
    used += pending.write(text, used, ascii ? "latin1" : "utf8");
    if (used >= BATCH_BYTES) flush();
    else if (!timer) timer = setTimeout(flush, 50).unref();
  };
}

const settings = logSettingsFromEnv();
const destination = settings.format === "json" ? pino.destination({ fd: 1, sync: false }) : undefined;

/** The process's logger, set up from the environment. */
export const logger: Logger = createLogger(settings, destination);

/** The process's request log (the same destination as `logger`); undefined above info. */
export const requestLog: RequestLog | undefined = createRequestLog(settings, logger, destination);

type Level = "fatal" | "error" | "warn" | "info" | "debug" | "trace";
/** A line's fields, naming their own level and message (`{ level: "warn", msg: "…", … }`). */
export type LogLine = { level: Level; msg: string } & Record<string, unknown>;

/** Writes one line of fields that name their own level and message. */
export function logFields({ level, msg, ...fields }: LogLine): void {
  logger[level](fields, msg);
}
