/**
 * Single sign-on's settings (docs/single-sign-on.md), read once at start. A bad value stops the start
 * with a sentence naming the variable: a console that silently ignored `OIDC_ISSUER` would leave
 * people at a password form their company turned off.
 */

export interface OidcConfig {
  /** The provider's issuer; discovery at `<issuer>/.well-known/openid-configuration`. */
  issuer: URL;
  clientId: string;
  /**
   * The client's secret at the provider. Also the key (through HKDF) of the cookie that carries one
   * sign-in's PKCE verifier, state and nonce, so that every instance sharing this configuration can
   * finish a sign-in another one started.
   */
  clientSecret: string;
  /** On the button: "Sign in with <name>". */
  name: string;
  scopes: string;
  /** `member`: an unknown verified email becomes an account member; null: refused. */
  autoProvision: "member" | null;
  /** Lower-cased email domains allowed to sign in by SSO; null = any. */
  allowedDomains: string[] | null;
}

export interface SignInConfig {
  oidc: OidcConfig | null;
  /** `PASSWORD_SIGN_IN=off`: passwords only for account admins (break glass). */
  passwordSignIn: boolean;
}

const LOOPBACK_HOSTS = new Set(["localhost", "[::1]"]);

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function parseIssuer(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `OIDC_ISSUER is not a URL: set it to the provider's issuer, e.g. https://sso.example.com/realms/acme.`,
    );
  }
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && isLoopback(url.hostname)) return url;
  throw new Error(
    "OIDC_ISSUER must start with https:// (http:// only for a provider on this machine: localhost, 127.0.0.1 or [::1]).",
  );
}

/** Reads OIDC_* and PASSWORD_SIGN_IN; throws an Error whose message says what to fix. */
export function signInConfigFromEnv(env: Record<string, string | undefined> = process.env): SignInConfig {
  const passwordSetting = env.PASSWORD_SIGN_IN?.trim().toLowerCase();
  if (passwordSetting && passwordSetting !== "on" && passwordSetting !== "off")
    throw new Error("PASSWORD_SIGN_IN must be `on` or `off`.");
  const passwordSignIn = passwordSetting !== "off";
  const issuer = env.OIDC_ISSUER?.trim();
  if (!issuer) {
    if (!passwordSignIn)
      throw new Error(
        "PASSWORD_SIGN_IN=off needs single sign-on: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.",
      );
    return { oidc: null, passwordSignIn };
  }
  const clientId = env.OIDC_CLIENT_ID?.trim();
  if (!clientId)
    throw new Error("OIDC_ISSUER is set but OIDC_CLIENT_ID is not: set the client's id at the provider.");
  const clientSecret = env.OIDC_CLIENT_SECRET?.trim();
  if (!clientSecret)
    throw new Error(
      "OIDC_ISSUER is set but OIDC_CLIENT_SECRET is not: register Keydesk as a confidential client and set its secret.",
    );
  const provision = env.OIDC_AUTO_PROVISION?.trim().toLowerCase();
  if (provision && provision !== "member") throw new Error("OIDC_AUTO_PROVISION must be `member` or unset.");
  const domains = (env.OIDC_ALLOWED_DOMAINS ?? "")
    .split(",")
    .map((d) => d.trim().toLowerCase().replace(/^@/, ""))
    .filter(Boolean);
  const badDomain = domains.find((d) => !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d));
  if (badDomain)
    throw new Error(`OIDC_ALLOWED_DOMAINS: "${badDomain}" is not an email domain (e.g. example.com).`);
  const scopes = env.OIDC_SCOPES?.trim() || "openid email profile";
  if (!scopes.split(/\s+/).includes("openid")) throw new Error("OIDC_SCOPES must include `openid`.");
  return {
    passwordSignIn,
    oidc: {
      issuer: parseIssuer(issuer),
      clientId,
      clientSecret,
      name: env.OIDC_NAME?.trim() || "SSO",
      scopes,
      autoProvision: provision === "member" ? "member" : null,
      allowedDomains: domains.length ? domains : null,
    },
  };
}
