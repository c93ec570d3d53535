/** Single sign-on's settings are checked at start: a bad issuer stops server.ts with its sentence. */
import { describe, expect, it } from "vitest";
import { spawnFailingServer } from "../lib/testing/spawn-server";

describe("server.ts with single sign-on settings", () => {
  it("OIDC_ISSUER on plain http:// to another machine stops the start, saying what to fix", async () => {
    const failed = await spawnFailingServer({
      env: {
        DATABASE_URL: "pglite:memory",
        OIDC_ISSUER: "http://sso.example.com/realms/acme",
        OIDC_CLIENT_ID: "keydesk",
        OIDC_CLIENT_SECRET: "not-used",
      },
    });
    expect(failed.code).toBe(1);
    expect(failed.output).toContain(
      "OIDC_ISSUER must start with https:// (http:// only for a provider on this machine: localhost, 127.0.0.1 or [::1]).",
    );
    expect(failed.output).not.toContain("not-used");
  });
});
