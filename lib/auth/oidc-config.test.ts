/** Single sign-on's settings: what starts, and the sentence a bad value stops the start with. */
import { describe, expect, it } from "vitest";
import { signInConfigFromEnv } from "./oidc-config";

const base = {
  OIDC_ISSUER: "https://sso.example.com/realms/acme",
  OIDC_CLIENT_ID: "keydesk",
  OIDC_CLIENT_SECRET: "s3cret",
};

describe("signInConfigFromEnv", () => {
  it("nothing set: passwords only, no single sign-on", () => {
    expect(signInConfigFromEnv({})).toEqual({ oidc: null, passwordSignIn: true });
  });

  it("the defaults: name SSO, scopes `openid email profile`, no provisioning, any domain", () => {
    const config = signInConfigFromEnv(base);
    expect(config.passwordSignIn).toBe(true);
    expect(config.oidc).toMatchObject({
      clientId: "keydesk",
      name: "SSO",
      scopes: "openid email profile",
      autoProvision: null,
      allowedDomains: null,
    });
    expect(config.oidc?.issuer.href).toBe("https://sso.example.com/realms/acme");
  });

  it("every variable read", () => {
    const config = signInConfigFromEnv({
      ...base,
      OIDC_NAME: "Keycloak",
      OIDC_SCOPES: "openid email",
      OIDC_AUTO_PROVISION: "member",
      OIDC_ALLOWED_DOMAINS: " Example.com, @corp.example.org ",
      PASSWORD_SIGN_IN: "off",
    });
    expect(config).toMatchObject({
      passwordSignIn: false,
      oidc: {
        name: "Keycloak",
        scopes: "openid email",
        autoProvision: "member",
        allowedDomains: ["example.com", "corp.example.org"],
      },
    });
  });

  it("http:// only on a loopback address", () => {
    for (const issuer of ["http://127.0.0.1:9000", "http://localhost:8080/realms/x", "http://[::1]:3000"])
      expect(signInConfigFromEnv({ ...base, OIDC_ISSUER: issuer }).oidc?.issuer.protocol).toBe("http:");
    for (const issuer of ["http://sso.example.com", "http://10.0.0.5", "ftp://127.0.0.1"])
      expect(() => signInConfigFromEnv({ ...base, OIDC_ISSUER: issuer })).toThrow(
        "OIDC_ISSUER must start with https:// (http:// only for a provider on this machine: localhost, 127.0.0.1 or [::1]).",
      );
    expect(() => signInConfigFromEnv({ ...base, OIDC_ISSUER: "sso.example.com" })).toThrow(
      /OIDC_ISSUER is not a URL/,
    );
  });

  it("refuses what cannot work, naming the variable", () => {
    expect(() => signInConfigFromEnv({ ...base, OIDC_CLIENT_ID: "" })).toThrow(/OIDC_CLIENT_ID/);
    expect(() => signInConfigFromEnv({ ...base, OIDC_CLIENT_SECRET: " " })).toThrow(/OIDC_CLIENT_SECRET/);
    expect(() => signInConfigFromEnv({ ...base, OIDC_AUTO_PROVISION: "admin" })).toThrow(
      /OIDC_AUTO_PROVISION/,
    );
    expect(() => signInConfigFromEnv({ ...base, OIDC_ALLOWED_DOMAINS: "example" })).toThrow(
      /OIDC_ALLOWED_DOMAINS/,
    );
    expect(() => signInConfigFromEnv({ ...base, OIDC_SCOPES: "email profile" })).toThrow(/OIDC_SCOPES/);
    expect(() => signInConfigFromEnv({ ...base, PASSWORD_SIGN_IN: "maybe" })).toThrow(/PASSWORD_SIGN_IN/);
    expect(() => signInConfigFromEnv({ PASSWORD_SIGN_IN: "off" })).toThrow(
      /PASSWORD_SIGN_IN=off needs single sign-on/,
    );
  });
});
