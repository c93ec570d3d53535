import "server-only";
import { keysClient } from "../keys-client";

/** Whether the keys API offers Forgot password (it sends email); false when it cannot be asked. */
export async function passwordResetAvailable(): Promise<boolean> {
  try {
    const { data } = await keysClient().GET("/v2/password-resets");
    return data?.available === true;
  } catch {
    return false;
  }
}
