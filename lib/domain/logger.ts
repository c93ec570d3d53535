/**
 * The process's one logger (operations.md "Logs"): pino, one JSON object a line on stdout
 * (`LOG_FORMAT=json`, the default when stdout is not a terminal) or pino-pretty's lines
 * (`LOG_FORMAT=pretty`, the default on a terminal); `LOG_LEVEL` (default `info`). Here in lib/domain so
 * the domain folders can log too; what they log is fields they chose, never a request's headers or body.
 */
import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";

export type { Logger };
export type LogFormat = "json" | "pretty";

const LEVELS = new Set(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

/**
 * Names whose values are never written, wherever they sit one level deep: a safety net, since no code
 * here logs headers or bodies.
 */
const REDACTED = ["authorization", "cookie", "password", "token", "secret", "key", "raw_key"];
const REDACT_PATHS = [
  ...REDACTED,
  ...REDACTED.map((name) => `*.${name}`),
  ...REDACTED.map((name) => `*.headers.${name}`),
  '["set-cookie"]',
  '*["set-cookie"]',
  '*.headers["set-cookie"]',
];

export interface LogSettings {
  format: LogFormat;
  level: string;
}

/** `LOG_FORMAT` (`json` | `pretty`; default pretty on a terminal, json otherwise) and `LOG_LEVEL`. */
export function logSettingsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
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

/** The process's logger, set up from the environment. */
export const logger: Logger = createLogger(logSettingsFromEnv());

type Level = "fatal" | "error" | "warn" | "info" | "debug" | "trace";
/** A line's fields, naming their own level and message (`{ level: "warn", msg: "…", … }`). */
export type LogLine = { level: Level; msg: string } & Record<string, unknown>;

/** Writes one line of fields that name their own level and message. */
export function logFields({ level, msg, ...fields }: LogLine): void {
  logger[level](fields, msg);
}
