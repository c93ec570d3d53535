import type { Clock } from "../clock";
import type { Db } from "../db/client";
import {
  networkPolicyFromEnv,
  strictNetworkPolicy,
  type Resolver,
  type WebhookNetworkPolicy,
} from "./address-guard";

interface DeliveryPolicy {
  /** The first retry's delay; each further one doubles it (`KEYDESK_WEBHOOK_RETRY_BASE_MS`). */
  retryBaseMs: number;
  /** Attempts per event and webhook, the first included. */
  maxAttempts: number;
  /** How often a worker looks for due deliveries (`KEYDESK_WEBHOOK_POLL_MS`). */
  pollMs: number;
}

const defaultDeliveryPolicy: DeliveryPolicy = { retryBaseMs: 30_000, maxAttempts: 8, pollMs: 1000 };

export interface WebhookPolicy {
  network: WebhookNetworkPolicy;
  delivery: DeliveryPolicy;
}

/** https only, no private addresses, 30 s retry base. */
export const defaultWebhookPolicy: WebhookPolicy = {
  network: strictNetworkPolicy,
  delivery: defaultDeliveryPolicy,
};

export function webhookPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookPolicy {
  const positive = (value: string | undefined, fallback: number) => {
    const n = Number(value);
    return value !== undefined && Number.isInteger(n) && n > 0 ? n : fallback;
  };
  return {
    network: networkPolicyFromEnv(env),
    delivery: {
      ...defaultDeliveryPolicy,
      retryBaseMs: positive(env.KEYDESK_WEBHOOK_RETRY_BASE_MS, defaultDeliveryPolicy.retryBaseMs),
      pollMs: positive(env.KEYDESK_WEBHOOK_POLL_MS, defaultDeliveryPolicy.pollMs),
    },
  };
}

export interface WebhookDeps {
  db: Db;
  clock: Clock;
  policy: WebhookPolicy;
  /** DNS; tests may give their own. */
  resolve?: Resolver;
  /** Told the outcome of each delivery attempt (metrics). */
  attempted?: (ok: boolean) => void;
}
