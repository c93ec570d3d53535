import "server-only";
import { directoryCall } from "../keys-client/directory";
import { parseInvitation, type InvitationLookup } from "./directory-support";

/** What an invitation link leads to; the token is only sent to the keys API, never logged. */
export async function lookUpInvitation(token: string): Promise<InvitationLookup> {
  if (!/^[A-Za-z0-9_-]{8,200}$/.test(token)) return { state: "gone" };
  try {
    const { status, body } = await directoryCall({}, "GET", `/v2/invitations/${encodeURIComponent(token)}`);
    return parseInvitation(status, body);
  } catch {
    return { state: "unavailable" };
  }
}
