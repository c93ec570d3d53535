import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  /** The raw body, exactly as received (what a signature is computed over). */
  body: string;
  json: { id: string; type: string; created_at: string; data: Record<string, unknown> };
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/hook`. */
  url: string;
  received: ReceivedDelivery[];
  /** The status of each next answer, in order; 200 once they run out. */
  answers: number[];
  close(): Promise<void>;
}

/** A real HTTP receiver on a free loopback port that keeps every delivery it gets. */
export async function startReceiver(answers: number[] = []): Promise<WebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  const receiver: Omit<WebhookReceiver, "url" | "close"> = { received, answers: [...answers] };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      received.push({ headers: req.headers, body, json: JSON.parse(body) as ReceivedDelivery["json"] });
      res.statusCode = receiver.answers.shift() ?? 200;
      // A redirect back here: a client that followed it would arrive twice.
      if (res.statusCode >= 300 && res.statusCode < 400) res.setHeader("location", req.url ?? "/");
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hook`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
