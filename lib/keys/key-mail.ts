/**
 * Mail about one key (expiry warnings, leak reports): the link to its page, and one message sent to
 * each recipient, a failed delivery reported and the rest still sent.
 */
import { encodeId } from "../domain/ids";
import type { Mailer } from "../domain/mailer";

/** `<publicUrl>/settings/api-keys/<id>`. */
export function keyPageLink(publicUrl: string, keyId: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/settings/api-keys/${encodeURIComponent(encodeId("ApiKey", keyId))}`;
}

/** Sends `message` to each recipient; returns how many were sent. Without a mailer, none. */
export async function mailEach(
  mailer: Mailer | undefined,
  recipients: readonly { email: string }[],
  message: { subject: string; text: string },
  failed: (err: unknown) => void,
): Promise<number> {
  let sent = 0;
  if (!mailer) return sent;
  for (const recipient of recipients) {
    try {
      await mailer.send({ to: recipient.email, ...message });
      sent++;
    } catch (err) {
      failed(err);
    }
  }
  return sent;
}
