/**
 * Invitations end to end through the API: EMAIL_LINK sent through a real SMTP server running in this
 * process (smtp-server; nodemailer on our side, no mock), the invite link (one-time, 7 days, EXPIRED
 * after, replaced by a resend), TEMPORARY_PASSWORD (returned once; the session may only change it),
 * reset by link and by temporary password, and email idempotency — on PGlite and PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "../testing/test-databases";
import { expectProblem, setupDemo, type Demo } from "../testing/api-keys-test-kit";
import { mailText, startSmtp, type Mail } from "../testing/smtp-inbox";

const PUBLIC_URL = "https://keydesk.example.com";
/** Quoted-printable bodies wrap long lines with `=\n`; undo that before looking for the link. */
const linkIn = (mail: Mail | undefined, kind: "invite" | "reset-password") => {
  const text = mailText(mail);
  const match = new RegExp(`${PUBLIC_URL}/${kind}/([A-Za-z0-9_-]+)`).exec(text);
  if (!match?.[1]) throw new Error(`no ${kind} link in the email:\n${text}`);
  return { url: match[0], token: match[1] };
};

describe.each(testDatabases())("invitations ($name)", (database) => {
  let d: Demo;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  beforeAll(async () => {
    smtp = await startSmtp();
    d = await setupDemo(database, { config: { smtpUrl: smtp.url, publicUrl: PUBLIC_URL } });
  });
  afterAll(async () => {
    await d.harness.close();
    await smtp.close();
  });

  const invite = (body: Record<string, unknown>) =>
    d.harness.request("POST", "/v2/users", { token: d.tokens.admin, body });
  const userStatus = async (id: string) => {
    const res = await d.harness.request("GET", `/v2/users/${encodeURIComponent(id)}`, {
      token: d.tokens.admin,
    });
    return ((await res.json()) as { status: string }).status;
  };
  const mailTo = (email: string, n = 1) => {
    const mails = smtp.inbox.filter((m) => m.to.includes(email));
    expect(mails.length).toBe(n);
    return mails[n - 1];
  };

  it("EMAIL_LINK: the link is emailed and answered, joins once, and the person is ACTIVE and signed in", async () => {
    const email = `${randomUUID()}@example.com`;
    const res = await invite({ name: "Grace Hopper", email, role: "MEMBER", invite_mode: "EMAIL_LINK" });
    expect(res.status).toBe(201);
    const created = (await res.json()) as {
      id: string;
      status: string;
      invitation_url: string;
      invite_mode: string;
    };
    expect(created).toMatchObject({ status: "invited", invite_mode: "EMAIL_LINK" });
    const { url, token } = linkIn(mailTo(email), "invite");
    expect(created.invitation_url).toBe(url);

    const info = await d.harness.request("GET", `/v2/invitations/${token}`);
    expect(await info.json()).toEqual({
      purpose: "invite",
      account_name: "Acme",
      name: "Grace Hopper",
      email,
    });
    // Same password rule as everywhere.
    await expectProblem(
      await d.harness.request("POST", `/v2/invitations/${token}`, { body: { password: "short" } }),
      400,
    );
    const joined = await d.harness.request("POST", `/v2/invitations/${token}`, {
      body: { name: "Grace B. Hopper", password: "a long enough password" },
    });
    expect(joined.status).toBe(201);
    const session = (await joined.json()) as { token: string; user: { name: string } };
    expect(session.user.name).toBe("Grace B. Hopper");
    expect((await d.harness.request("GET", "/v2/me", { token: session.token })).status).toBe(200);
    expect(await userStatus(created.id)).toBe("active");
    // One-time.
    await expectProblem(await d.harness.request("GET", `/v2/invitations/${token}`), 404);
    await expectProblem(
      await d.harness.request("POST", `/v2/invitations/${token}`, {
        body: { password: "another long password" },
      }),
      404,
    );
    // Joined people cannot be invited again (409), nor get a resend (400).
    await expectProblem(await invite({ name: "G", email, role: "member", invite_mode: "EMAIL_LINK" }), 409);
    await expectProblem(
      await d.harness.request("POST", `/v2/users/${encodeURIComponent(created.id)}/resend-invitation`, {
        token: d.tokens.admin,
      }),
      400,
    );
  });

  it("the same email while INVITED answers 200 with the user as-is and sends nothing; after 7 days it is EXPIRED, and a resend replaces the link", async () => {
    const email = `${randomUUID()}@example.com`;
    const first = (await (
      await invite({ name: "Ada L", email, role: "member", invite_mode: "EMAIL_LINK" })
    ).json()) as {
      id: string;
    };
    const old = linkIn(mailTo(email), "invite");
    const again = await invite({ name: "Ada L", email, role: "member", invite_mode: "EMAIL_LINK" });
    expect(again.status).toBe(200);
    const body = (await again.json()) as Record<string, unknown>;
    expect(body.id).toBe(first.id);
    expect(body).not.toHaveProperty("invite_mode");
    mailTo(email, 1);

    d.harness.clock.advance(7 * 24 * 60 * 60 * 1000);
    d.tokens.admin = await d.harness.signIn("admin"); // the old session expired too
    expect(await userStatus(first.id)).toBe("expired");
    await expectProblem(await d.harness.request("GET", `/v2/invitations/${old.token}`), 404);

    const resent = await d.harness.request(
      "POST",
      `/v2/users/${encodeURIComponent(first.id)}/resend-invitation`,
      {
        token: d.tokens.admin,
      },
    );
    expect(resent.status).toBe(200);
    const fresh = linkIn(mailTo(email, 2), "invite");
    expect(((await resent.json()) as { invitation_url: string }).invitation_url).toBe(fresh.url);
    expect(await userStatus(first.id)).toBe("invited");
    await expectProblem(await d.harness.request("GET", `/v2/invitations/${old.token}`), 404);
    expect((await d.harness.request("GET", `/v2/invitations/${fresh.token}`)).status).toBe(200);
  });

  it("TEMPORARY_PASSWORD: returned once; its session may only call POST /v2/me/password (403 password_change_required), then works", async () => {
    const email = `${randomUUID()}@example.com`;
    const res = await invite({
      name: "Tem Porary",
      email,
      role: "member",
      invite_mode: "temporary_password",
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const created = (await res.json()) as { id: string; temporary_password: string; status: string };
    expect(created.status).toBe("invited");
    expect(created.temporary_password.length).toBeGreaterThanOrEqual(20);
    const signIn = await d.harness.request("POST", "/v2/sessions", {
      body: { email, password: created.temporary_password },
    });
    expect(signIn.status).toBe(201);
    const session = (await signIn.json()) as { token: string; password_change_required?: boolean };
    expect(session.password_change_required).toBe(true);
    for (const [method, path] of [
      ["GET", "/v2/me"],
      ["GET", "/v2/api-keys"],
      ["POST", "/v2/api-keys"],
    ] as const) {
      const problem = await expectProblem(
        await d.harness.request(method, path, {
          token: session.token,
          body: method === "POST" ? { name: "k" } : undefined,
        }),
        403,
      );
      expect(problem).toMatchObject({ code: "password_change_required" });
    }
    const change = (current: string, next: string) =>
      d.harness.request("POST", "/v2/me/password", {
        token: session.token,
        body: { current_password: current, new_password: next },
      });
    await expectProblem(await change("wrong password here", "my own new password"), 400);
    await expectProblem(await change(created.temporary_password, "short"), 400);
    expect((await change(created.temporary_password, "my own new password")).status).toBe(204);
    expect((await d.harness.request("GET", "/v2/me", { token: session.token })).status).toBe(200);
    expect(await userStatus(created.id)).toBe("active");
    await expectProblem(
      await d.harness.request("POST", "/v2/sessions", {
        body: { email, password: created.temporary_password },
      }),
      401,
    );
  });

  it("reset password: a 30-minute link by email (204), or ?mode=temporary_password returned once; blocked people get 409", async () => {
    const email = `${randomUUID()}@example.com`;
    const created = (await (
      await invite({ name: "Res Et", email, role: "member", invite_mode: "NONE" })
    ).json()) as {
      id: string;
    };
    const path = `/v2/users/${encodeURIComponent(created.id)}/reset-password`;
    const byMail = await d.harness.request("POST", path, { token: d.tokens.admin });
    expect(byMail.status).toBe(204);
    const link = linkIn(mailTo(email), "reset-password");
    expect(await (await d.harness.request("GET", `/v2/invitations/${link.token}`)).json()).toMatchObject({
      purpose: "reset",
    });
    d.harness.clock.advance(30 * 60 * 1000);
    d.tokens.admin = await d.harness.signIn("admin");
    await expectProblem(await d.harness.request("GET", `/v2/invitations/${link.token}`), 404);

    const temp = await d.harness.request("POST", `${path}?mode=temporary_password`, {
      token: d.tokens.admin,
    });
    expect(temp.status).toBe(200);
    const { temporary_password } = (await temp.json()) as { temporary_password: string };
    const signIn = await d.harness.request("POST", "/v2/sessions", {
      body: { email, password: temporary_password },
    });
    expect(((await signIn.json()) as { password_change_required?: boolean }).password_change_required).toBe(
      true,
    );

    expect(
      (
        await d.harness.request("DELETE", `/v2/users/${encodeURIComponent(created.id)}`, {
          token: d.tokens.admin,
        })
      ).status,
    ).toBe(204);
    await expectProblem(await d.harness.request("POST", path, { token: d.tokens.admin }), 409);
    await expectProblem(await invite({ name: "R", email, role: "member", invite_mode: "EMAIL_LINK" }), 409);
  });

  it("without SMTP, a reset needs ?mode=temporary_password (400 otherwise)", async () => {
    const plain = await setupDemo(database);
    try {
      const res = await plain.harness.request("POST", "/v2/users", {
        token: plain.tokens.admin,
        body: { name: "No Mail", email: `${randomUUID()}@example.com`, role: "member", invite_mode: "NONE" },
      });
      const { id } = (await res.json()) as { id: string };
      const problem = await expectProblem(
        await plain.harness.request("POST", `/v2/users/${encodeURIComponent(id)}/reset-password`, {
          token: plain.tokens.admin,
        }),
        400,
      );
      expect(problem.detail).toMatch(/mode=temporary_password/);
    } finally {
      await plain.harness.close();
    }
  });
});
