import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { performance } from "node:perf_hooks";
import {
  checkUrlShape,
  RefusedUrl,
  resolveTarget,
  type Resolver,
  type WebhookNetworkPolicy,
} from "./address-guard";
import { signDelivery } from "./signing";

/** What a delivery needs of its webhook. Holds secrets: never log it. */
export interface DeliveryTarget {
  url: string;
  authType: string;
  authToken: string | null;
  signingSecret: string | null;
  timeoutMs: number;
  headers: Record<string, string>;
}

export interface SendOutcome {
  /** null: no response (refused address, connection failure, timeout). */
  statusCode: number | null;
  errorMessage: string | null;
  durationMs: number;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * One POST of an event to a webhook. The host is resolved and checked here, and the connection goes
 * to the address checked (the request's `lookup` answers with it), so DNS cannot swap in another
 * address between the check and the connect; TLS still verifies the URL's host name. Redirects are
 * not followed (a 3xx is a failed attempt). Never throws.
 */
export async function sendEvent(
  target: DeliveryTarget,
  event: { id: string; type: string; body: string },
  network: WebhookNetworkPolicy,
  resolve: Resolver | undefined,
  now: () => Date,
): Promise<SendOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  let address: { address: string; family: 4 | 6 };
  try {
    url = checkUrlShape(target.url, network);
    address = await resolveTarget(url, network, resolve);
  } catch (err) {
    const message = err instanceof RefusedUrl ? err.message : "The URL could not be used.";
    return { statusCode: null, errorMessage: message, durationMs: elapsed() };
  }

  const timestamp = Math.floor(now().getTime() / 1000);
  const headers: Record<string, string> = {
    ...target.headers,
    "content-type": "application/json",
    "user-agent": "Keydesk-Webhooks/1",
    "x-arize-webhook-timestamp": String(timestamp),
    "x-arize-webhook-id": event.id,
    "x-arize-webhook-event": event.type,
  };
  if (target.authType === "BEARER" && target.authToken) headers.authorization = target.authToken;
  if (target.authType === "HMAC_SHA256" && target.signingSecret)
    headers["x-arize-webhook-signature"] = signDelivery(target.signingSecret, timestamp, event.body);

  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: address.address, family: address.family }]);
    else callback(null, address.address, address.family);
  };

  return new Promise<SendOutcome>((resolveOutcome) => {
    let settled = false;
    const finish = (outcome: Omit<SendOutcome, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolveOutcome({ ...outcome, durationMs: elapsed() });
    };
    const request = (url.protocol === "https:" ? https : http).request(
      url,
      { method: "POST", headers, lookup: pinned, agent: false },
      (response) => {
        const status = response.statusCode ?? 0;
        let received = 0;
        response.on("data", (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) response.destroy();
        });
        const done = () =>
          finish({
            statusCode: status,
            errorMessage:
              status >= 200 && status < 300
                ? null
                : status >= 300 && status < 400
                  ? `The endpoint answered ${status} (a redirect; redirects are not followed).`
                  : `The endpoint answered ${status}.`,
          });
        response.on("end", done);
        response.on("close", done);
        response.on("error", done);
      },
    );
    const timer = setTimeout(() => {
      finish({ statusCode: null, errorMessage: `No answer within ${target.timeoutMs} ms.` });
      request.destroy();
    }, target.timeoutMs);
    request.on("error", (err: NodeJS.ErrnoException) =>
      finish({ statusCode: null, errorMessage: `The connection failed (${err.code ?? "error"}).` }),
    );
    request.end(event.body);
  });
}
