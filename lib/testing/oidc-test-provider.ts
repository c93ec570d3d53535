/**
 * A real OpenID provider for tests: `oidc-provider` (a certified OP) on a loopback port, with one
 * confidential client and accounts whose claims the test sets. Its login and consent are a tiny
 * interaction that signs in `nextLogin` at once (no form), so a test or a browser goes
 * start → provider → callback without typing.
 *
 * `rewriteIdToken` lets a test change the ID token the token endpoint returns (another audience, an
 * expired or nonce-less token), re-signed with the provider's own key, so that only the relying
 * party's own checks can refuse it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";
import Provider from "oidc-provider";

type JwtClaims = Record<string, unknown>;

const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** An RS256 JWT signed with the provider's own key (what oidc-provider itself would have signed). */
function signJwt(claims: JwtClaims, key: KeyObject, kid: string): string {
  const input = `${b64url(JSON.stringify({ alg: "RS256", kid, typ: "JWT" }))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
}

function decodeJwt(jwt: string): JwtClaims {
  return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as JwtClaims;
}

interface TestAccountClaims {
  email?: string;
  email_verified?: boolean | string;
  name?: string;
}

export interface OidcTestProviderOptions {
  /** Fixed port on 127.0.0.1 (0 or unset: any free one). */
  port?: number;
  clientId?: string;
  clientSecret?: string;
  redirectUris: string[];
}

export interface OidcTestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Sets (or replaces) an account's claims; `sub` is its id. */
  setAccount(sub: string, claims: TestAccountClaims): void;
  /** The account the next interaction signs in. */
  nextLogin: string | null;
  /** Changes the next ID tokens before they leave the token endpoint (null: untouched). */
  rewriteIdToken: ((claims: JwtClaims) => JwtClaims) | null;
  /** How many token requests the provider answered (a test can tell the exchange happened). */
  tokenRequests: number;
  stop(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export async function startOidcTestProvider(options: OidcTestProviderOptions): Promise<OidcTestProvider> {
  const clientId = options.clientId ?? "keydesk-test";
  const clientSecret = options.clientSecret ?? `secret-${randomUUID()}`;
  const accounts = new Map<string, TestAccountClaims>();
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomUUID();
  const jwk = { ...privateKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };

  // The public listener is made first: the issuer names its port.
  const front = createServer();
  const port = await listen(front, options.port ?? 0);
  const issuer = `http://127.0.0.1:${port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomUUID()] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const claims = accounts.get(sub);
      if (!claims) return undefined;
      return { accountId: sub, claims: () => ({ sub, ...claims }) };
    },
  });
  const handle = provider.callback();

  // The provider itself on a second, private listener: the token endpoint is reached through the
  // front so that `rewriteIdToken` can change what it answers.
  const back = createServer(handle);
  const backPort = await listen(back, 0);

  const state: OidcTestProvider = {
    issuer,
    clientId,
    clientSecret,
    setAccount: (sub, claims) => void accounts.set(sub, claims),
    nextLogin: null,
    rewriteIdToken: null,
    tokenRequests: 0,
    stop: async () => {
      await Promise.all(
        [front, back].map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };

  async function interaction(req: IncomingMessage, res: ServerResponse) {
    const details = await provider.interactionDetails(req, res);
    const accountId = state.nextLogin;
    if (!accountId || !accounts.has(accountId)) {
      res.writeHead(400, { "content-type": "text/plain" }).end("No test account set to sign in.");
      return;
    }
    const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope ?? "openid"));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } });
  }

  async function token(req: IncomingMessage, res: ServerResponse) {
    state.tokenRequests++;
    const body = await readBody(req);
    const answer = await fetch(`http://127.0.0.1:${backPort}${req.url ?? "/token"}`, {
      method: "POST",
      headers: {
        "content-type": req.headers["content-type"] ?? "application/x-www-form-urlencoded",
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      },
      body: body.toString("utf8"),
    });
    let text = await answer.text();
    const rewrite = state.rewriteIdToken;
    if (answer.ok && rewrite) {
      const json = JSON.parse(text) as { id_token?: string };
      if (json.id_token) {
        const claims = rewrite(decodeJwt(json.id_token));
        json.id_token = signJwt(claims, privateKey, kid);
        text = JSON.stringify(json);
      }
    }
    res.writeHead(answer.status, {
      "content-type": answer.headers.get("content-type") ?? "application/json",
      "cache-control": "no-store",
    });
    res.end(text);
  }

  front.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const fail = (err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(err instanceof Error ? err.message : "failed");
    };
    if (path.startsWith("/interaction/")) return void interaction(req, res).catch(fail);
    if (req.method === "POST" && path === "/token") return void token(req, res).catch(fail);
    return void handle(req, res);
  });

  return state;
}
