import net from "node:net";

export interface RawAnswer {
  /** Status code of the first response, or null when none came. */
  status: number | null;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from the last byte sent to the first response's end (or to the deadline). */
  elapsedMs: number;
  /** The server closed the connection. */
  closed: boolean;
}

/**
 * Sends bytes exactly as given on a raw TCP socket (no client library to fix them up) and waits for
 * one whole response, the server closing the socket, or `deadlineMs`, whichever comes first.
 */
export function rawRequest(
  baseUrl: string,
  bytes: string,
  options: { deadlineMs?: number } = {},
): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname === "localhost" ? "127.0.0.1" : url.hostname);
    let data = Buffer.alloc(0);
    let sentAt = Date.now();
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parse(data.toString("latin1")), elapsedMs: Date.now() - sentAt, closed });
    };
    const timer = setTimeout(() => finish(false), options.deadlineMs ?? 5_000);
    socket.on("data", (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (parse(data.toString("latin1")).complete) finish(false);
    });
    socket.on("close", () => finish(true));
    socket.on("error", () => finish(true));
    socket.on("connect", () => socket.write(bytes, "latin1", () => (sentAt = Date.now())));
  });
}

function parse(text: string): Omit<RawAnswer, "elapsedMs" | "closed"> & { complete: boolean } {
  const end = text.indexOf("\r\n\r\n");
  if (end === -1) return { status: null, headers: {}, body: "", complete: false };
  const [statusLine = "", ...lines] = text.slice(0, end).split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = text.slice(end + 4);
  const length = Number(headers["content-length"] ?? NaN);
  const complete = Number.isFinite(length) ? Buffer.byteLength(body, "latin1") >= length : false;
  return { status: Number.isFinite(status) ? status : null, headers, body, complete };
}
