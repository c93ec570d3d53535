/**
 * Every request gets an answer, and soon: the real server.ts, spoken to over raw TCP sockets so that
 * no client library can tidy the request up first. Malformed requests once left the socket open with
 * no answer (a few thousand of them exhaust the server's file descriptors), and absolute-form targets
 * were answered with a redirect to the host they named.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "../lib/testing/raw-http";
import { spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";

const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_000;

describe("every request is answered", { timeout: 240_000 }, () => {
  let server: SpawnedServer;
  beforeAll(async () => {
    server = await spawnServer({
      env: {
        DATABASE_URL: "pglite:memory",
        HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
        HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      },
      timeoutMs: 200_000,
    });
  }, 220_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("a well-formed request over the same raw socket is served (the control)", async () => {
    const answer = await rawRequest(server.baseUrl, "GET /v2/me HTTP/1.1\r\nHost: localhost\r\n\r\n");
    expect(answer.status).toBe(401);
    expect(answer.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });

  it.each([
    ["an empty Host", "GET /v2/me HTTP/1.1\r\nHost: \r\n\r\n"],
    ["a Host with user info", "GET /v2/me HTTP/1.1\r\nHost: a@b\r\n\r\n"],
    ["a Host with a path", "GET /v2/me HTTP/1.1\r\nHost: localhost/x\r\n\r\n"],
    ["a Host with a bad port", "GET /v2/me HTTP/1.1\r\nHost: localhost:http\r\n\r\n"],
    ["HTTP/1.0 without Host", "GET /v2/me HTTP/1.0\r\n\r\n"],
    ["HTTP/1.0 without Host, a page", "GET / HTTP/1.0\r\n\r\n"],
    ["a backslash in a /v2 path", "GET /v2/me\\x HTTP/1.1\r\nHost: localhost\r\n\r\n"],
    ["backslash dot segments", "GET /v2\\..\\me HTTP/1.1\r\nHost: localhost\r\n\r\n"],
    ["a backslash in a page path", "GET /login\\\\evil.example HTTP/1.1\r\nHost: localhost\r\n\r\n"],
    ["an absolute-form target", "GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\n\r\n"],
    ["an absolute-form /v2 target", "GET http://evil.example/v2/me HTTP/1.1\r\nHost: localhost\r\n\r\n"],
    ["a protocol-relative path", "GET //evil.example/ HTTP/1.1\r\nHost: localhost\r\n\r\n"],
    ["an asterisk target", "OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n"],
    // RFC 9112 §3.2: a request with no Host, more than one, or an invalid one is answered 400.
    ["a page with a Host port above 65535", "GET /login HTTP/1.1\r\nHost: localhost:99999\r\n\r\n"],
    ["a /v2 request with a Host port above 65535", "GET /v2/me HTTP/1.1\r\nHost: localhost:99999\r\n\r\n"],
    ["a Host port of 65536", "GET /login HTTP/1.1\r\nHost: 127.0.0.1:65536\r\n\r\n"],
    ["a Host with an empty port", "GET /login HTTP/1.1\r\nHost: localhost:\r\n\r\n"],
    ["a Host port with a sign", "GET /login HTTP/1.1\r\nHost: localhost:+80\r\n\r\n"],
    ["an IPv6 Host that is not an address", "GET /login HTTP/1.1\r\nHost: [::1::2]:3000\r\n\r\n"],
    ["an IPv6 Host with a zone", "GET /login HTTP/1.1\r\nHost: [fe80::1%25eth0]\r\n\r\n"],
    ["an unclosed IPv6 Host", "GET /login HTTP/1.1\r\nHost: [::1\r\n\r\n"],
    ["an IPv6 Host without brackets", "GET /login HTTP/1.1\r\nHost: ::1\r\n\r\n"],
    ["HTTP/1.1 without Host, a page", "GET /login HTTP/1.1\r\n\r\n"],
    ["HTTP/1.1 without Host", "GET /v2/me HTTP/1.1\r\n\r\n"],
    ["two Host headers, a page", "GET /login HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n"],
    ["two Host headers", "GET /v2/me HTTP/1.1\r\nHost: localhost\r\nHost: localhost\r\n\r\n"],
  ])("%s → 400 problem within 1 s, no redirect", async (_name, request) => {
    const answer = await rawRequest(server.baseUrl, request);
    expect(answer.status, server.output().slice(-2_000)).toBe(400);
    expect(answer.elapsedMs).toBeLessThan(1_000);
    expect(answer.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(answer.headers.location).toBeUndefined();
    expect(JSON.parse(answer.body)).toMatchObject({ status: 400, title: "Invalid request parameters" });
  });

  it.each([
    ["[::1]:3000"],
    ["127.0.0.1:3000"],
    ["example.com"],
    ["localhost:65535"],
    ["localhost:0"],
    ["keydesk.example.com.:443"],
    ["[2001:db8::7]"],
  ])("Host: %s is served, on /v2 and on pages", async (host) => {
    const api = await rawRequest(server.baseUrl, `GET /v2/me HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    expect(api.status).toBe(401);
    // /settings without a session: Next.js's proxy answers with its redirect to /login.
    const page = await rawRequest(
      server.baseUrl,
      `GET /settings HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      {
        deadlineMs: 60_000,
      },
    );
    expect(page.status, server.output().slice(-2_000)).toBe(307);
    expect(page.headers.location).toMatch(/\/login\?next=%2Fsettings$/);
  });

  it("a body over 64 KiB is answered 413, a known path with a wrong method 405 with Allow", async () => {
    const body = JSON.stringify({ email: "a@example.com", password: "p".repeat(70 * 1024) });
    const large = await rawRequest(
      server.baseUrl,
      `POST /v2/sessions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(large.status).toBe(413);
    expect(JSON.parse(large.body)).toMatchObject({ status: 413, title: "Content too large" });
    const wrongMethod = await rawRequest(server.baseUrl, "DELETE /v2/me HTTP/1.1\r\nHost: localhost\r\n\r\n");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe("GET, HEAD");
  });

  it("a request line Node cannot parse is answered 400, not dropped", async () => {
    const answer = await rawRequest(server.baseUrl, "GET /v2/me HTTP/9.9\r\nHost: localhost\r\n\r\n");
    expect(answer.status).toBe(400);
    expect(answer.elapsedMs).toBeLessThan(1_000);
  });

  it("headers that never finish are cut at the headers timeout with 408", async () => {
    const answer = await rawRequest(
      server.baseUrl,
      "GET /v2/me HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1\r\n",
      {
        deadlineMs: HEADERS_TIMEOUT_MS + 3_000,
      },
    );
    expect(answer.status).toBe(408);
    expect(answer.elapsedMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
  });

  it("a body that never finishes is cut at the request timeout with 408", async () => {
    const answer = await rawRequest(
      server.baseUrl,
      'POST /v2/sessions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":',
      { deadlineMs: REQUEST_TIMEOUT_MS + 3_000 },
    );
    expect(answer.status).toBe(408);
    expect(answer.closed || answer.headers.connection === "close").toBe(true);
  });
});
