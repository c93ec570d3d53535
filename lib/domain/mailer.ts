import nodemailer from "nodemailer";

/** Sends Keydesk's emails: invitation and password-reset links, key expiry warnings. */
export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

/**
 * A mailer over SMTP (`SMTP_URL`, e.g. `smtp://user:pass@mail.example.com:587` or `smtps://…`), or
 * undefined when none is configured. The sender is `SMTP_FROM` (default `Keydesk <keydesk@localhost>`).
 */
export function smtpMailer(
  url: string | undefined,
  from = "Keydesk <keydesk@localhost>",
): Mailer | undefined {
  if (!url) return undefined;
  const transport = nodemailer.createTransport(url);
  return {
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
  };
}
