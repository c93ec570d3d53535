import "server-only";
import { directoryCall } from "../keys-client/directory";

/**
 * Whether this deployment still waits for its first-run setup (no account yet). GET /v2/setup
 * answers 404 once an account exists. "unknown" when the API could not say; pages then behave as
 * for a set-up deployment (sign in), which is never a dead end.
 */
export async function setupState(): Promise<"needed" | "done" | "unknown"> {
  try {
    const { status, body } = await directoryCall({}, "GET", "/v2/setup");
    if (status === 404) return "done";
    if (status !== 200) return "unknown";
    const flags = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
    return flags.needed === false || flags.setup_required === false ? "done" : "needed";
  } catch {
    return "unknown";
  }
}
