/**
 * A hand-driven OAuth client of Keydesk's authorization server, doing over real HTTP what the `ax` CLI
 * and a browser do (ax/auth/oauth_flow.py, oauth_client.py): PKCE S256, the authorize request, the
 * approval through the dashboard's API route with the browser's interaction cookies, the loopback
 * redirect's code, then the token endpoint's grants and revocation. Each step can be bent (no PKCE,
 * plain PKCE, another redirect URI, a wrong verifier) for the protocol's refusals.
 */
import { createHash, randomBytes } from "node:crypto";

const CLI_CLIENT = "arize-cli";

export function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  return { verifier, challenge };
}

/** A browser's cookies, by name (paths are ignored: each test request names what it sends). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  header(names?: readonly string[]): string {
    return [...this.cookies]
      .filter(([name]) => !names || names.includes(name))
      .map(([name, value]) => `${name}=${value}`)
      .join("; ");
  }
}

export interface AuthorizeOptions {
  redirectUri?: string;
  challenge?: string | null;
  method?: string | null;
  scope?: string;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

export class CliOAuthClient {
  readonly jar = new CookieJar();
  constructor(readonly baseUrl: string) {}

  /** GET /oauth2/authorize as the browser opens it; the provider's answer, redirects not followed. */
  async authorize(state: string, options: AuthorizeOptions = {}): Promise<Response> {
    const params = new URLSearchParams({
      response_type: "code",
      client_id: CLI_CLIENT,
      redirect_uri: options.redirectUri ?? "http://127.0.0.1:8765/callback",
      state,
      scope: options.scope ?? "openid email",
    });
    if (options.challenge !== null) params.set("code_challenge", options.challenge ?? pkcePair().challenge);
    if (options.method !== null) params.set("code_challenge_method", options.method ?? "S256");
    const res = await fetch(`${this.baseUrl}/oauth2/authorize?${params}`, {
      redirect: "manual",
      headers: { cookie: this.jar.header() },
    });
    this.jar.take(res);
    return res;
  }

  /** The approval, as the dashboard's action makes it: the person's session and this browser's interaction cookies. */
  async decide(uid: string, sessionToken: string, decision: "approve" | "deny", cookie?: string) {
    const res = await fetch(`${this.baseUrl}/v2/oauth2/interactions/${uid}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${sessionToken}`,
        "content-type": "application/json",
        "x-keydesk-interaction-cookie": cookie ?? this.jar.header(["_interaction", "_interaction.sig"]),
      },
      body: JSON.stringify({ decision }),
    });
    return { status: res.status, body: (await res.json()) as { redirect_to?: string; code?: string } };
  }

  /** Follows the provider's redirects in this browser until one leaves for the loopback redirect URI. */
  async follow(location: string): Promise<URL> {
    let next = new URL(location, this.baseUrl);
    for (let hops = 0; hops < 10; hops++) {
      if (next.origin !== new URL(this.baseUrl).origin) return next;
      const res = await fetch(next, { redirect: "manual", headers: { cookie: this.jar.header() } });
      this.jar.take(res);
      const to = res.headers.get("location");
      if (!to) throw new Error(`No redirect from ${next.pathname}: ${res.status} ${await res.text()}`);
      next = new URL(to, next);
    }
    throw new Error("Too many redirects");
  }

  /** The whole browser side: authorize, approve as the person, and the loopback redirect's URL. */
  async codeFor(sessionToken: string, options: AuthorizeOptions & { state?: string } = {}) {
    const state = options.state ?? randomBytes(8).toString("hex");
    const started = await this.authorize(state, options);
    const location = started.headers.get("location") ?? "";
    const uid = /\/cli\/authorize\/([\w-]+)/.exec(location)?.[1];
    if (!uid)
      throw new Error(`authorize did not ask for approval: ${started.status} ${await started.text()}`);
    const decided = await this.decide(uid, sessionToken, "approve");
    if (!decided.body.redirect_to) throw new Error(`approval refused: ${JSON.stringify(decided.body)}`);
    const callback = await this.follow(decided.body.redirect_to);
    return { callback, code: callback.searchParams.get("code") ?? "", state };
  }

  async token(form: Record<string, string>): Promise<TokenAnswer> {
    const res = await fetch(`${this.baseUrl}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: CLI_CLIENT, ...form }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  exchange(code: string, verifier: string, redirectUri = "http://127.0.0.1:8765/callback") {
    return this.token({
      grant_type: "authorization_code",
      code,
      code_verifier: verifier,
      redirect_uri: redirectUri,
    });
  }

  refresh(refreshToken: string) {
    return this.token({ grant_type: "refresh_token", refresh_token: refreshToken });
  }

  async revoke(token: string): Promise<number> {
    const res = await fetch(`${this.baseUrl}/oauth2/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token, client_id: CLI_CLIENT }),
    });
    await res.arrayBuffer();
    return res.status;
  }
}
