import "server-only";
import { keysClient } from "../keys-client";
import { reshapeInvitation, type InvitationLookup } from "../keys-client/reshape";

/** What an invitation or reset link leads to; the token is only sent to the keys API, never logged. */
export async function lookUpInvitation(token: string): Promise<InvitationLookup> {
  if (!/^[A-Za-z0-9_-]{8,200}$/.test(token)) return { state: "gone" };
  try {
    const { data, response } = await keysClient().GET("/v2/invitations/{token}", {
      params: { path: { token } },
    });
    return reshapeInvitation(response.status, data);
  } catch {
    return { state: "unavailable" };
  }
}
