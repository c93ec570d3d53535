/**
 * Emailed links point at the origin people use, not at KEYS_API_URL. With SMTP on and PUBLIC_URL
 * unset, the dashboard's server actions reach the keys API at its internal address; the links the
 * API emails (invitations, password resets) must still point at the address in the admin's browser.
 * The dashboard passes that origin on with the internal token, and only then is it believed: a
 * caller cannot aim an emailed link at a host of their choosing with a header of their own.
 *
 * The actions run outside a Next.js request: only the cookie jar and the request headers are stood
 * in for; the keys API is the real one, over HTTP, with a real SMTP server — on PGlite and PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEMO_PASSWORD, DEMO_USERS } from "../testing/demo-viewers";
import { createHarness, type ApiHarness } from "../testing/api-harness";
import { mailText, startSmtp, type SmtpInbox } from "../testing/smtp-inbox";
import { serveOverHttp } from "../testing/serve-api";
import { testDatabases } from "../testing/test-databases";

vi.mock("server-only", () => ({}));
const jar = new Map<string, string>();
/** The browser's request to the dashboard, as Next.js shows it to an action. */
const BROWSER_HOST = "keys.example.test:8443";
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined),
    set: (name: string, value: string) => void jar.set(name, value),
    delete: (name: string) => void jar.delete(name),
  }),
  headers: async () =>
    new Headers({ host: BROWSER_HOST, "x-forwarded-proto": "https", "x-keydesk-peer": "203.0.113.9" }),
}));

const { signInAction } = await import("./actions/auth");
const { inviteMemberAction, resendInvitationAction } = await import("./actions/members");

const INTERNAL_TOKEN = "test-internal-token";
const LINK = /(https?:\/\/[^\s/]+)\/(invite|reset-password)\/[A-Za-z0-9_-]+/;

describe.each(testDatabases())("emailed links with PUBLIC_URL unset ($name)", (database) => {
  let harness: ApiHarness;
  let server: Awaited<ReturnType<typeof serveOverHttp>>;
  let smtp: SmtpInbox;
  let apiUrl: string;
  const env = { ...process.env };

  beforeAll(async () => {
    smtp = await startSmtp();
    harness = await createHarness(database, {
      config: { internalToken: INTERNAL_TOKEN, smtpUrl: smtp.url, publicUrl: undefined },
    });
    server = await serveOverHttp(harness.app);
    apiUrl = server.baseUrl;
    process.env.KEYS_API_URL = apiUrl;
    process.env.KEYDESK_INTERNAL_TOKEN = INTERNAL_TOKEN;
    delete process.env.PUBLIC_URL;
    const signedIn = await signInAction({ email: DEMO_USERS.admin.email, password: DEMO_PASSWORD });
    expect(signedIn.ok).toBe(true);
  });
  afterAll(async () => {
    process.env = env;
    await server.close();
    await harness.close();
    await smtp.close();
  });

  /** The one link emailed to `email` (the `n`th message to them), as origin and whole link. */
  const emailedLink = (email: string, n = 1) => {
    const mails = smtp.inbox.filter((m) => m.to.includes(email));
    expect(mails.length).toBe(n);
    const match = LINK.exec(mailText(mails[n - 1]));
    if (!match?.[1]) throw new Error(`no link in the email:\n${mailText(mails[n - 1])}`);
    return { origin: match[1], link: match[0] };
  };

  it("Invite member (invite link) through the dashboard: the emailed link and the shared one are on the browser's origin", async () => {
    const email = `${randomUUID()}@example.com`;
    const result = await inviteMemberAction({
      name: "Grace Hopper",
      email,
      accountRole: "member",
      inviteWith: "invite_link",
    });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    const { origin, link } = emailedLink(email);
    expect(origin).toBe(`https://${BROWSER_HOST}`);
    expect(origin).not.toBe(apiUrl);
    // The dialog shares the same link as the email.
    expect(result.data.invitation?.secret).toBe(link);

    // Resend invitation: a new link, on the same origin.
    const resent = await resendInvitationAction({ userId: result.data.member.id, name: "Grace Hopper" });
    if (!resent.ok) throw new Error(JSON.stringify(resent.error));
    expect(emailedLink(email, 2).origin).toBe(`https://${BROWSER_HOST}`);
  });

  it("Invite member (temporary password): Share the invitation gets the sign-in page on the browser's origin, with the email", async () => {
    const email = `${randomUUID()}@example.com`;
    const result = await inviteMemberAction({
      name: "Tess Temp",
      email,
      accountRole: "member",
      inviteWith: "temporary_password",
    });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.data.invitation).toMatchObject({
      kind: "temporary_password",
      email,
      signInUrl: `https://${BROWSER_HOST}/login`,
    });
    // Resend invitation of a temporary-password invitation: a new password, the same sign-in page.
    const resent = await resendInvitationAction({ userId: result.data.member.id, name: "Tess Temp", email });
    if (!resent.ok) throw new Error(JSON.stringify(resent.error));
    expect(resent.data).toMatchObject({
      kind: "temporary_password",
      signInUrl: `https://${BROWSER_HOST}/login`,
    });
  });

  /** An admin's session, for direct API calls. */
  const adminToken = () => harness.signIn("admin");
  const inviteDirectly = async (headers: Record<string, string>) => {
    const email = `${randomUUID()}@example.com`;
    const res = await fetch(`${apiUrl}/v2/users`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${await adminToken()}`,
        "content-type": "application/json",
        ...headers,
      },
      body: JSON.stringify({ name: "Ada", email, role: "member", invite_mode: "EMAIL_LINK" }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return { email, answered: ((await res.json()) as { invitation_url: string }).invitation_url };
  };

  it("a direct API call gets links on the origin it used; a public-origin header without the internal token is ignored", async () => {
    const plain = await inviteDirectly({});
    expect(emailedLink(plain.email).origin).toBe(apiUrl);
    expect(plain.answered.startsWith(`${apiUrl}/invite/`)).toBe(true);

    for (const proof of [undefined, "wrong-token", `${INTERNAL_TOKEN}x`]) {
      const forged = await inviteDirectly({
        "x-keydesk-public-origin": "https://evil.example",
        ...(proof ? { "x-keydesk-internal": proof } : {}),
      });
      expect(emailedLink(forged.email).origin).toBe(apiUrl);
      expect(forged.answered).not.toContain("evil.example");
    }
  });

  it("even with the internal token, only a bare http(s) origin is taken", async () => {
    for (const value of [
      "https://evil.example/path",
      "https://user:pass@evil.example",
      "javascript:alert(1)",
      "ftp://evil.example",
      "https://evil.example?x=1",
      "not a url",
    ]) {
      const sent = await inviteDirectly({
        "x-keydesk-public-origin": value,
        "x-keydesk-internal": INTERNAL_TOKEN,
      });
      expect(emailedLink(sent.email).origin, value).toBe(apiUrl);
    }
  });
});
