/**
 * The Node HTTP server in front of the keys API and Next.js: it answers every request, and answers
 * malformed ones itself (400 problem+json) before either framework sees them, because both turned some
 * of them into silence (a socket left open) or into a redirect to the host named in the request target.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { isIPv6, type AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { isHealthPath } from "./health";
import {
  logger as processLogger,
  requestLog as processRequestLog,
  type Logger,
  type RequestLog,
} from "../domain/logger";
import { REQUEST_ID_HEADER, requestIdOf } from "./request-id";
import { PAGES_ROUTE } from "./metrics";

export interface HttpLimits {
  /** Time allowed for a client to send the request line and headers. */
  headersTimeoutMs: number;
  /** Time allowed for a client to send the whole request (headers and body). */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
}

const defaultHttpLimits: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 65_000,
};

export function httpLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): HttpLimits {
  const ms = (value: string | undefined, fallback: number) => {
    const n = Number(value);
    return value !== undefined && Number.isInteger(n) && n > 0 ? n : fallback;
  };
  const headersTimeoutMs = ms(env.HTTP_HEADERS_TIMEOUT_MS, defaultHttpLimits.headersTimeoutMs);
  return {
    headersTimeoutMs,
    // Node requires requestTimeout ≥ headersTimeout.
    requestTimeoutMs: Math.max(
      headersTimeoutMs,
      ms(env.HTTP_REQUEST_TIMEOUT_MS, defaultHttpLimits.requestTimeoutMs),
    ),
    keepAliveTimeoutMs: defaultHttpLimits.keepAliveTimeoutMs,
  };
}

// A host name: labels of letters, digits, `-` and `_`, dot-separated, an optional final dot (which also
// covers an IPv4 address). Nothing else: no user info, no spaces, no path, no percent-encoding.
const HOST_NAME = /^[a-z0-9_][a-z0-9_-]{0,62}(?:\.[a-z0-9_][a-z0-9_-]{0,62})*\.?$/i;

/**
 * A valid `Host` field value (RFC 9112 §3.2, RFC 3986 §3.2.2): `uri-host [ ":" port ]`, where the host
 * is a name (or IPv4 address) or a bracketed IPv6 address (no zone), and the port is 1 to 5 digits
 * up to 65535.
 */
function isValidHost(host: string): boolean {
  if (host.length > 255) return false;
  const match = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d{1,5}))?$/.exec(host);
  if (!match) return false;
  const [, name = "", port] = match;
  if (port !== undefined && Number(port) > 65_535) return false;
  if (!name.startsWith("[")) return HOST_NAME.test(name);
  const address = name.slice(1, -1);
  return /^[0-9a-f:.]+$/i.test(address) && isIPv6(address);
}

/** How many `Host` fields the request has (Node keeps only the first in `headers`). */
function hostFieldCount(rawHeaders: string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]?.toLowerCase() === "host") count++;
  return count;
}

/**
 * Why a request cannot be served, or null. Exactly one valid `Host` (RFC 9112 §3.2: otherwise 400,
 * whatever the path), and only origin-form targets (`/path?query`): an absolute-form target
 * (`GET http://elsewhere/`) would have Next.js redirect to `elsewhere`, a backslash or a leading `//`
 * would be read as another host by browsers following a redirect.
 */
function malformedRequest(req: Pick<IncomingMessage, "url" | "headers" | "rawHeaders">): string | null {
  const host = req.headers.host;
  if (!host) return "The request has no `Host` header.";
  if (hostFieldCount(req.rawHeaders) > 1) return "The request has more than one `Host` header.";
  if (!isValidHost(host))
    return "The `Host` header is not a valid host name with an optional port (0-65535).";
  const url = req.url ?? "";
  if (!url.startsWith("/")) return "The request target must be a path (`/…`).";
  const query = url.indexOf("?");
  const path = query === -1 ? url : url.slice(0, query);
  if (path.startsWith("//")) return "The request path must not start with `//`.";
  if (path.includes("\\")) return "The request path must not contain a backslash.";
  return null;
}

const PROBLEM_TITLES: Record<number, string> = {
  400: "Invalid request parameters",
  408: "Request timeout",
  431: "Request header fields too large",
  500: "Internal error",
};

function problemBody(status: number, detail: string, requestId?: string): string {
  return JSON.stringify({
    title: PROBLEM_TITLES[status] ?? "Request failed",
    status,
    detail,
    ...(requestId ? { request_id: requestId } : {}),
  });
}

/** Answers with a problem and closes the connection (the request may not have been read whole). */
function sendProblem(res: ServerResponse, status: number, detail: string, requestId?: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = problemBody(status, detail, requestId);
  res.writeHead(status, {
    "content-type": "application/problem+json",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
    connection: "close",
  });
  res.end(body);
}

/** A raw answer on a socket whose request could not even be parsed. */
function answerOnSocket(socket: Duplex, status: number, detail: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = problemBody(status, detail);
  const reason =
    status === 408 ? "Request Timeout" : status === 431 ? "Request Header Fields Too Large" : "Bad Request";
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/problem+json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n${body}`,
  );
}

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => unknown;
type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => unknown;

export interface KeydeskServerOptions {
  /** Handles /v2 requests (and /secret-scanning/…, /auth/oidc/…). */
  api: RequestHandler;
  /** Handles everything else. */
  pages: RequestHandler;
  /** The ax CLI's authorization server: `/oauth2/*` and its discovery documents (lib/auth/oauth/provider.ts). */
  oauth?: RequestHandler;
  /** WebSocket upgrades outside /v2 (Next's dev server). */
  upgrade?: UpgradeHandler;
  /** `/healthz` and `/readyz` (health.ts), answered before the API and the pages. */
  health?: RequestHandler;
  limits?: HttpLimits;
  /**
   * Where each request's line goes (at info when answered; `/healthz` and `/readyz` through `log` at
   * debug). The keys API writes its own requests' lines, with their route patterns (lib/api/app.ts);
   * this server writes the pages' (route `(pages)`) and those it answers itself. Default: the process's.
   */
  requestLog?: RequestLog;
  /** Where failures and the probes' lines go. Default: the process's logger. */
  log?: Logger;
  /** How many reverse proxies in front are trusted to name the client (`TRUST_PROXY_HOPS`). */
  trustedProxyHops?: number;
}

/** The route names of requests that are not the keys API's (which logs its own with their patterns). */
const HEALTH_ROUTE = "(health)";
const MALFORMED_ROUTE = "(malformed)";
const OAUTH_ROUTE = "(oauth2)";

const isApiPath = (url: string | undefined) =>
  url === "/v2" ||
  (url?.startsWith("/v2/") ?? false) ||
  (url?.startsWith("/v2?") ?? false) ||
  // GitLab's token revocation API (lifecycle.md §6) lives outside /v2, where GitLab expects it.
  (url?.startsWith("/secret-scanning/") ?? false) ||
  // Single sign-on's start and callback (docs/single-sign-on.md): the keys API opens the session.
  (url?.startsWith("/auth/oidc/") ?? false);

/** The paths of the ax CLI's authorization server (oidc-provider), outside /v2 where the CLI expects them. */
const isOAuthPath = (url: string | undefined) =>
  (url?.startsWith("/oauth2/") ?? false) ||
  url === "/.well-known/openid-configuration" ||
  url === "/.well-known/oauth-authorization-server";

/** Runs a handler so that neither a throw nor a rejection can leave the response unanswered. */
function guarded(
  handler: RequestHandler,
  req: IncomingMessage,
  res: ServerResponse,
  log: Logger,
  requestId: string,
): void {
  const fail = (err: unknown) => {
    // The error's message and stack only: never the request's headers or body.
    log.error({ req_id: requestId, err }, "request handler failed");
    sendProblem(res, 500, "Something went wrong on our side. Try again.", requestId);
  };
  try {
    const result = handler(req, res);
    if (result instanceof Promise) result.catch(fail);
  } catch (err) {
    fail(err);
  }
}

/** The client's address: the socket's peer, or behind trusted proxies the entry the outermost one saw. */
function requestAddress(req: IncomingMessage, trustedProxyHops: number): string | null {
  const peer = req.socket.remoteAddress ?? null;
  const forwarded = req.headers["x-forwarded-for"];
  if (trustedProxyHops <= 0 || typeof forwarded !== "string") return peer;
  const hops = forwarded
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return hops[hops.length - trustedProxyHops] ?? hops[0] ?? peer;
}

/**
 * One line when the answer is sent: never the path (it may hold an invitation's token) or the query
 * (it may hold anything), only the route's name.
 */
function logWhenAnswered(
  write: RequestLog | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  requestId: string,
  trustedProxyHops: number,
): void {
  if (!write) return;
  const started = performance.now();
  res.once("finish", () =>
    write({
      req_id: requestId,
      method: req.method ?? "",
      route,
      status: res.statusCode,
      duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
      address: requestAddress(req, trustedProxyHops),
    }),
  );
}

export function createKeydeskServer(options: KeydeskServerOptions): Server {
  const limits = options.limits ?? defaultHttpLimits;
  const log = options.log ?? processLogger;
  const requestLog = "requestLog" in options ? options.requestLog : processRequestLog;
  const probeLog: RequestLog | undefined = log.isLevelEnabled("debug")
    ? (line) => log.debug(line, "request")
    : undefined;
  const hops = options.trustedProxyHops ?? 0;
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // How often Node looks for requests past their timeouts; the default (30 s) would let a
      // half-sent request hold its socket far longer than the timeout says.
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
      // A request without Host is answered by malformedRequest, with a body saying why (Node's own
      // check would answer an empty 400, and only for HTTP/1.1).
      requireHostHeader: false,
    },
    (req, res) => {
      // One id for the request, shared by the keys API and the pages: the incoming one when safe.
      const requestId = requestIdOf(req.headers[REQUEST_ID_HEADER]);
      req.headers[REQUEST_ID_HEADER] = requestId;
      res.setHeader(REQUEST_ID_HEADER, requestId);
      const problem = malformedRequest(req);
      if (problem) {
        logWhenAnswered(requestLog, req, res, MALFORMED_ROUTE, requestId, hops);
        return sendProblem(res, 400, problem, requestId);
      }
      if (options.health && isHealthPath(req.url)) {
        logWhenAnswered(probeLog, req, res, HEALTH_ROUTE, requestId, hops);
        return guarded(options.health, req, res, log, requestId);
      }
      if (isApiPath(req.url)) return guarded(options.api, req, res, log, requestId);
      if (options.oauth && isOAuthPath(req.url)) {
        // Its paths carry codes and tokens in query strings: one label, never the path.
        logWhenAnswered(requestLog, req, res, OAUTH_ROUTE, requestId, hops);
        return guarded(options.oauth, req, res, log, requestId);
      }
      // Pages and actions learn the browser's address from here only; a client-sent value is dropped.
      req.headers["x-keydesk-peer"] = req.socket.remoteAddress ?? "";
      logWhenAnswered(requestLog, req, res, PAGES_ROUTE, requestId, hops);
      guarded(options.pages, req, res, log, requestId);
    },
  );
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (malformedRequest(req) || isApiPath(req.url) || !options.upgrade) {
      socket.destroy();
      return;
    }
    try {
      const result = options.upgrade(req, socket, head);
      if (result instanceof Promise) result.catch(() => socket.destroy());
    } catch {
      socket.destroy();
    }
  });
  // Requests Node cannot parse, and requests cut by the timeouts above, still get an answer.
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === "ECONNRESET") return socket.destroy();
    if (err.code === "ERR_HTTP_REQUEST_TIMEOUT") {
      return answerOnSocket(socket, 408, "The request was not received in time.");
    }
    if (err.code === "HPE_HEADER_OVERFLOW") {
      return answerOnSocket(socket, 431, "The request headers are too large.");
    }
    answerOnSocket(socket, 400, "The request is not valid HTTP.");
  });
  return server;
}

/**
 * Listens, or rejects with an error naming the address when the port cannot be bound (in use, not
 * allowed), so the caller can exit instead of running on without a socket.
 */
export function listen(server: Server, port: number, host: string | undefined): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const where = `${host ?? "all interfaces"} port ${port}`;
      const why =
        err.code === "EADDRINUSE"
          ? "the port is already in use (is another Keydesk running?)"
          : err.code === "EACCES"
            ? "permission denied"
            : err.code === "EADDRNOTAVAIL"
              ? "no such address on this machine"
              : err.message;
      reject(new Error(`Cannot listen on ${where}: ${why}.`));
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      const address = server.address();
      if (address && typeof address === "object") resolve(address);
      else reject(new Error(`Cannot listen on port ${port}: no address.`));
    });
  });
}
