/** The sign-in page's pure parts: where a sign-in may return to, and which `error` codes pick a sentence. */
import { describe, expect, it } from "vitest";
import { isSsoError, safeNextPath, ssoErrorMessage } from "./sign-in-options";

describe("safeNextPath", () => {
  it("keeps a path on this site", () => {
    expect(safeNextPath("/settings/spaces")).toBe("/settings/spaces");
    expect(safeNextPath("/settings/api-keys?status=usable")).toBe("/settings/api-keys?status=usable");
  });
  it("sends anything else to the API keys page: other hosts, /login, scripts, non-strings", () => {
    for (const next of [
      "//evil.example/x",
      "https://evil.example",
      "/\\evil.example",
      "/login",
      "javascript:alert(1)",
      "",
      undefined,
      42,
    ])
      expect(safeNextPath(next)).toBe("/settings/api-keys");
  });
});

describe("single sign-on's errors on /login", () => {
  it("only known codes pick a sentence; the email comes from the caller, never the query", () => {
    expect(isSsoError("sso_no_account")).toBe(true);
    expect(isSsoError("<script>")).toBe(false);
    expect(isSsoError(["sso_failed"])).toBe(false);
    expect(ssoErrorMessage("sso_no_account", "Keycloak", "ann@example.com")).toBe(
      "No Keydesk account for ann@example.com. Ask an admin to invite you.",
    );
    expect(ssoErrorMessage("sso_unreachable", "Keycloak", null)).toBe(
      "Keycloak cannot be reached right now. Try again in a moment.",
    );
  });
});
