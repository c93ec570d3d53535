/**
 * Request ids (operations.md "Logs"): the incoming `x-request-id` when it is a short safe token, else
 * a new one. Anything else — spaces, line breaks, a value long enough to carry a credential — is
 * replaced, never logged or echoed.
 */
import { randomUUID } from "node:crypto";

export const REQUEST_ID_HEADER = "x-request-id";
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function requestIdOf(incoming: string | string[] | null | undefined): string {
  return typeof incoming === "string" && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}
