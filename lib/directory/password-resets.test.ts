/**
 * Forgot password (`POST /v2/password-resets`, [ext]): one answer for every address, the lookup after
 * the answer, a reset link only for ACTIVE people — the admin reset's link (30 minutes, single use,
 * stored as its SHA-256) — on PUBLIC_URL whatever Host the asker sends, rate limits per client address
 * (429) and per email (silently nothing more), and audit rows for the request and the completion.
 * Real SMTP receivers; over HTTP through the harness; on PGlite and PostgreSQL.
 */
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditLog, users } from "../db/schema";
import { sha256Hex } from "../domain/digest";
import { DEMO_PASSWORD, DEMO_USERS } from "../testing/demo-viewers";
import { mailText, startSmtp, type SmtpInbox } from "../testing/smtp-inbox";
import { testDatabases } from "../testing/test-databases";
import { expectProblem, setupDemo, type Demo } from "../testing/api-keys-test-kit";

const PUBLIC_URL = "https://keys.example.test";
const INTERNAL_TOKEN = "password-reset-test-internal-token";
const LINK = /(https?:\/\/[^\s/]+)\/reset-password\/([A-Za-z0-9_-]+)/;
const NEW_PASSWORD = "a brand new passphrase 42";

describe.each(testDatabases())("forgot password ($name)", (database) => {
  let d: Demo;
  let smtp: SmtpInbox;
  beforeEach(async () => {
    smtp = await startSmtp();
    d = await setupDemo(database, {
      config: { smtpUrl: smtp.url, publicUrl: PUBLIC_URL, internalToken: INTERNAL_TOKEN },
    });
  });
  afterEach(async () => {
    await d.harness.close();
    await smtp.close();
  });

  const ask = (email: string, headers?: Record<string, string>) =>
    d.harness.request("POST", "/v2/password-resets", { body: { email }, headers });
  const settled = () => d.harness.app.passwordResetsSettled();
  const mailsTo = (email: string) => smtp.inbox.filter((m) => m.to.includes(email));
  const linkIn = (email: string, n = 1) => {
    const text = mailText(mailsTo(email)[n - 1]);
    const match = LINK.exec(text);
    if (!match?.[1] || !match[2]) throw new Error(`no reset link in:\n${text}`);
    return { origin: match[1], token: match[2] };
  };
  const audits = (action: string) =>
    d.harness.handle.db.select().from(auditLog).where(eq(auditLog.action, action));

  it("Max asks, gets a 30-minute single-use link on PUBLIC_URL, sets a new password and signs in with it; both steps audited", async () => {
    const res = await ask(" Member@Example.com ");
    expect(res.status).toBe(202);
    expect(await res.text()).toBe("");
    await settled();
    expect(mailsTo(DEMO_USERS.member.email)).toHaveLength(1);
    const { origin, token } = linkIn(DEMO_USERS.member.email);
    expect(origin).toBe(PUBLIC_URL);

    // Stored hashed: the row holds the token's SHA-256, never the token.
    const [row] = await d.harness.handle.db
      .select({
        digest: users.inviteTokenDigest,
        purpose: users.inviteTokenPurpose,
        until: users.inviteExpiresAt,
      })
      .from(users)
      .where(eq(users.email, DEMO_USERS.member.email));
    expect(row?.digest).toBe(sha256Hex(token));
    expect(row?.purpose).toBe("reset");
    expect(row?.until?.getTime()).toBe(d.harness.clock.now().getTime() + 30 * 60 * 1000);

    const look = await d.harness.request("GET", `/v2/invitations/${token}`);
    expect(await look.json()).toMatchObject({ purpose: "reset", email: DEMO_USERS.member.email });
    const set = await d.harness.request("POST", `/v2/invitations/${token}`, {
      body: { password: NEW_PASSWORD },
    });
    expect(set.status).toBe(201);
    // Single use.
    await expectProblem(
      await d.harness.request("POST", `/v2/invitations/${token}`, { body: { password: NEW_PASSWORD } }),
      404,
    );
    const signIn = (password: string) =>
      d.harness.request("POST", "/v2/sessions", { body: { email: DEMO_USERS.member.email, password } });
    expect((await signIn(NEW_PASSWORD)).status).toBe(201);
    expect((await signIn(DEMO_PASSWORD)).status).toBe(401);

    const [requested] = await audits("request_password_reset");
    expect(requested).toMatchObject({
      actorCredential: "anonymous",
      targetType: "user",
      details: { variables: { email: DEMO_USERS.member.email }, link_issued: true },
    });
    expect(requested?.targetId).toBe(row && (await personId(DEMO_USERS.member.email)));
    expect(await audits("reset_password_by_link")).toHaveLength(1);
  });

  async function personId(email: string) {
    const [row] = await d.harness.handle.db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, email));
    return row?.id;
  }

  it("the link ends after 30 minutes", async () => {
    expect((await ask(DEMO_USERS.member.email)).status).toBe(202);
    await settled();
    const { token } = linkIn(DEMO_USERS.member.email);
    d.harness.clock.advance(30 * 60 * 1000);
    await expectProblem(await d.harness.request("GET", `/v2/invitations/${token}`), 404);
    await expectProblem(
      await d.harness.request("POST", `/v2/invitations/${token}`, { body: { password: NEW_PASSWORD } }),
      404,
    );
  });

  it("unknown, blocked and not-yet-joined addresses get the same answer and no email; a blocked person's request is audited as not sent", async () => {
    const invited = `${randomUUID()}@example.com`;
    expect(
      (
        await d.harness.request("POST", "/v2/users", {
          token: d.tokens.admin,
          body: { name: "Ines Invited", email: invited, role: "member", invite_mode: "TEMPORARY_PASSWORD" },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await d.harness.request("DELETE", `/v2/users/${encodeURIComponent(d.userIds.readOnly)}`, {
          token: d.tokens.admin,
        })
      ).status,
    ).toBe(204);

    const answers: { status: number; headers: Record<string, string>; body: string }[] = [];
    for (const email of [
      `${randomUUID()}@nowhere.example`,
      DEMO_USERS.readOnly.email,
      invited,
      DEMO_USERS.admin.email,
    ]) {
      const res = await ask(email);
      const headers = Object.fromEntries([...res.headers].filter(([name]) => name !== "date"));
      answers.push({ status: res.status, headers, body: await res.text() });
    }
    expect(answers.every((a) => JSON.stringify(a) === JSON.stringify(answers[0]))).toBe(true);
    expect(answers[0]?.status).toBe(202);

    await settled();
    expect(smtp.inbox.map((m) => m.to).flat()).toEqual([DEMO_USERS.admin.email]);
    const rows = await audits("request_password_reset");
    const byTarget = new Map(rows.map((r) => [r.targetId, r.details]));
    expect(byTarget.get((await personId(DEMO_USERS.readOnly.email)) ?? "")).toMatchObject({
      link_issued: false,
      not_sent: "blocked",
    });
    expect(byTarget.get((await personId(invited)) ?? "")).toMatchObject({ not_sent: "not_joined" });
    expect(rows.find((r) => r.targetId === null)?.details).toMatchObject({ not_sent: "no_such_person" });
  });

  it("the link is on PUBLIC_URL whatever Host, forwarded host or dashboard origin the asker sends", async () => {
    expect(
      (
        await ask(DEMO_USERS.member.email, {
          host: "evil.example",
          "x-forwarded-host": "evil.example",
          "x-keydesk-internal": INTERNAL_TOKEN,
          "x-keydesk-public-origin": "https://evil.example",
        })
      ).status,
    ).toBe(202);
    await settled();
    expect(linkIn(DEMO_USERS.member.email).origin).toBe(PUBLIC_URL);
  });

  it("per email: 3 emails an hour, then the same 202 and nothing sent; per client address: 429 with Retry-After after 10", async () => {
    for (let i = 0; i < 5; i++) expect((await ask(DEMO_USERS.member.email)).status).toBe(202);
    await settled();
    expect(mailsTo(DEMO_USERS.member.email)).toHaveLength(3);

    // Another client address (passed on by the dashboard with its internal token): its own count.
    const from = (address: string) => ({
      "x-keydesk-internal": INTERNAL_TOKEN,
      "x-keydesk-client-address": address,
    });
    for (let i = 0; i < 10; i++)
      expect((await ask(`${randomUUID()}@spray.example`, from("198.51.100.7"))).status).toBe(202);
    const limited = await ask(DEMO_USERS.admin.email, from("198.51.100.7"));
    await expectProblem(limited, 429, "rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await ask(DEMO_USERS.admin.email, from("198.51.100.8"))).status).toBe(202);

    // An hour later Max may ask again.
    d.harness.clock.advance(60 * 60 * 1000);
    expect((await ask(DEMO_USERS.member.email)).status).toBe(202);
    await settled();
    expect(mailsTo(DEMO_USERS.member.email)).toHaveLength(4);
  });

  it("offered only with SMTP: GET says so; without SMTP the POST is a 400", async () => {
    expect(await (await d.harness.request("GET", "/v2/password-resets")).json()).toEqual({ available: true });
    const plain = await setupDemo(database, { config: { publicUrl: PUBLIC_URL } });
    try {
      expect(await (await plain.harness.request("GET", "/v2/password-resets")).json()).toEqual({
        available: false,
      });
      await expectProblem(
        await plain.harness.request("POST", "/v2/password-resets", {
          body: { email: DEMO_USERS.member.email },
        }),
        400,
      );
    } finally {
      await plain.harness.close();
    }
  });
});

describe.each(testDatabases())("forgot password answers before the email is sent ($name)", (database) => {
  it("an SMTP server that holds the message does not hold the answer", async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived: () => void = () => undefined;
    const mailArrived = new Promise<void>((resolve) => (arrived = resolve));
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData(stream, _session, callback) {
        stream.resume();
        stream.on("end", () => {
          arrived();
          void held.then(() => callback());
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.server.address() as AddressInfo;
    const d = await setupDemo(database, {
      config: { smtpUrl: `smtp://127.0.0.1:${port}`, publicUrl: PUBLIC_URL },
    });
    try {
      const first = await d.harness.request("POST", "/v2/password-resets", {
        body: { email: DEMO_USERS.member.email },
      });
      expect(first.status).toBe(202);
      await mailArrived;
      // The message is in the SMTP server's hands and not yet accepted: another request still answers.
      const second = await d.harness.request("POST", "/v2/password-resets", {
        body: { email: DEMO_USERS.admin.email },
      });
      expect(second.status).toBe(202);
      const [row] = await d.harness.handle.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "request_password_reset")));
      expect(row).toBeDefined();
    } finally {
      release();
      await d.harness.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
