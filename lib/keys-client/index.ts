import "server-only";
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

export type Problem = components["schemas"]["Problem"];
export type { Me } from "./reshape";
export type ApiKeyList = components["schemas"]["ApiKeyList"];

/** The keys API's base URL: KEYS_API_URL, or this same server (server.ts sets it once it listens). */
function keysApiBaseUrl(): string {
  return (process.env.KEYS_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/+$/, "");
}

export interface KeysClientOptions {
  /** The viewer's session token, sent as the bearer credential. */
  token?: string;
  /** The browser's address, so the API's per-client rate limits see the person, not this server. */
  clientAddress?: string | null;
  /** The origin in the browser, so the links the API makes (and emails) point where people go. */
  publicOrigin?: string | null;
}

/** The dashboard's one door to data: typed HTTP calls to /v2, generated from our OpenAPI document. */
export function keysClient(options: KeysClientOptions = {}) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const internal = process.env.KEYDESK_INTERNAL_TOKEN;
  // Only with the shared secret that makes the keys API believe them.
  if (internal && (options.clientAddress || options.publicOrigin)) {
    headers["x-keydesk-internal"] = internal;
    if (options.clientAddress) headers["x-keydesk-client-address"] = options.clientAddress;
    if (options.publicOrigin) headers["x-keydesk-public-origin"] = options.publicOrigin;
  }
  return createClient<paths>({ baseUrl: keysApiBaseUrl(), headers, cache: "no-store" });
}
