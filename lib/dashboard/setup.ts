import "server-only";
import { keysClient } from "../keys-client";

/**
 * Whether this deployment still waits for its first-run setup (no account yet): GET /v2/setup answers
 * 200 then, 404 once an account exists. "unknown" when the API could not say; pages then behave as for
 * a set-up deployment (sign in), which is never a dead end.
 */
export async function setupState(): Promise<"needed" | "done" | "unknown"> {
  try {
    const { data, response } = await keysClient().GET("/v2/setup");
    if (response.status === 404) return "done";
    return data?.setup_required ? "needed" : "unknown";
  } catch {
    return "unknown";
  }
}
