/**
 * The relying party of single sign-on, on `openid-client` (a certified one): discovery, the
 * authorization code flow with PKCE (S256), `state` and `nonce`. The library checks the ID token's
 * signature, issuer, audience, expiry and nonce; this file only carries the values between the two
 * halves of a sign-in and reads the claims Keydesk matches on.
 */
import * as client from "openid-client";
import type { Clock } from "../clock";
import type { OidcConfig } from "./oidc-config";

/** What one sign-in keeps between its start and its callback (sealed in a cookie by the route). */
export interface OidcFlow {
  codeVerifier: string;
  state: string;
  nonce: string;
  redirectUri: string;
  /** Where to go once signed in: a path on this site. */
  next: string;
}

/** The claims Keydesk reads: from the ID token, and the UserInfo endpoint when the token lacks `email`. */
export interface OidcIdentity {
  sub: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

/** The provider could not be asked (discovery or its endpoints unreachable, or an answer that is not its). */
export class OidcProviderUnreachable extends Error {
  constructor(cause: unknown) {
    super("The sign-in provider cannot be reached.", { cause });
    this.name = "OidcProviderUnreachable";
  }
}

/** The callback did not complete a sign-in: a bad state or nonce, a refused code, a token that failed a check. */
class OidcSignInFailed extends Error {
  constructor(cause: unknown) {
    super("Single sign-on did not complete.", { cause });
    this.name = "OidcSignInFailed";
  }
}

const DISCOVERY_TIMEOUT_S = 5;

export class OidcRelyingParty {
  private server?: client.ServerMetadata;

  constructor(
    private readonly config: OidcConfig,
    private readonly clock: Clock,
  ) {}

  get name(): string {
    return this.config.name;
  }

  /**
   * A configuration on the discovered metadata (discovered once per process; again after a failure).
   * Made per use so that the protocol's checks read the app's clock (`clockSkew`: tests move it).
   */
  private async configuration(): Promise<client.Configuration> {
    if (!this.server) {
      try {
        const discovered = await client.discovery(
          this.config.issuer,
          this.config.clientId,
          this.config.clientSecret,
          undefined,
          { execute: this.insecure ? [client.allowInsecureRequests] : [], timeout: DISCOVERY_TIMEOUT_S },
        );
        this.server = discovered.serverMetadata();
      } catch (err) {
        throw new OidcProviderUnreachable(err);
      }
    }
    const config = new client.Configuration(this.server, this.config.clientId, {
      client_secret: this.config.clientSecret,
      [client.clockSkew]: Math.round((this.clock.now().getTime() - Date.now()) / 1000),
    });
    config.timeout = DISCOVERY_TIMEOUT_S;
    if (this.insecure) client.allowInsecureRequests(config);
    return config;
  }

  /** http:// is allowed for a provider on a loopback address only (checked at start, oidc-config.ts). */
  private get insecure(): boolean {
    return this.config.issuer.protocol === "http:";
  }

  /** The provider's authorization URL for a new sign-in, and what its callback must be checked against. */
  async begin(input: { redirectUri: string; next: string }): Promise<{ url: URL; flow: OidcFlow }> {
    const config = await this.configuration();
    const flow: OidcFlow = {
      codeVerifier: client.randomPKCECodeVerifier(),
      state: client.randomState(),
      nonce: client.randomNonce(),
      redirectUri: input.redirectUri,
      next: input.next,
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: flow.redirectUri,
      scope: this.config.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(flow.codeVerifier),
      code_challenge_method: "S256",
      state: flow.state,
      nonce: flow.nonce,
    });
    return { url, flow };
  }

  /**
   * Completes a sign-in from the callback's URL: checks `state`, exchanges the code with the PKCE
   * verifier, and has the library check the ID token (signature, issuer, audience, expiry, nonce).
   */
  async finish(input: { callbackUrl: URL; flow: OidcFlow }): Promise<OidcIdentity> {
    const config = await this.configuration();
    // The callback arrives on whatever address this server is reached at; the library compares the
    // provider's answer, not the address, but the token request must name the registered redirect URI.
    const current = new URL(input.flow.redirectUri);
    current.search = input.callbackUrl.search;
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: input.flow.codeVerifier,
        expectedState: input.flow.state,
        expectedNonce: input.flow.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      if (isNetworkFailure(err)) throw new OidcProviderUnreachable(err);
      throw new OidcSignInFailed(err);
    }
    const claims = tokens.claims();
    if (!claims) throw new OidcSignInFailed(new Error("no ID token"));
    let source: Record<string, unknown> = claims;
    if (typeof claims.email !== "string") {
      // Providers that follow the core spec strictly (oidc-provider's default) give `email` at UserInfo only.
      try {
        source = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      } catch (err) {
        if (isNetworkFailure(err)) throw new OidcProviderUnreachable(err);
        throw new OidcSignInFailed(err);
      }
    }
    const email = typeof source.email === "string" ? source.email : null;
    const verified = source.email_verified;
    return {
      sub: claims.sub,
      email,
      // Some providers send "true" as a string; nothing else counts as verified.
      emailVerified: verified === true || verified === "true",
      name: typeof source.name === "string" ? source.name : null,
    };
  }
}

function isNetworkFailure(err: unknown): boolean {
  // fetch's TypeError("fetch failed"), or a timeout's abort.
  return (
    (err instanceof TypeError && err.message === "fetch failed") ||
    (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError"))
  );
}
