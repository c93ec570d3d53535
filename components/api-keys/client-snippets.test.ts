import { describe, expect, it } from "vitest";
import { clientSnippets, serverOrigin } from "./client-snippets";

// The real clients run these snippets in tests/client-snippets.test.ts; here, the address they get.
const KEY = `ak-${"a".repeat(69)}`;

describe("serverOrigin", () => {
  it("is PUBLIC_URL's origin when set, whatever path it carries", () => {
    expect(serverOrigin("https://keys.example.com/", "http://10.0.0.5:3000")).toBe(
      "https://keys.example.com",
    );
    expect(serverOrigin("https://keys.example.com:8443/keydesk", "http://10.0.0.5:3000")).toBe(
      "https://keys.example.com:8443",
    );
  });

  it("is the page's origin when PUBLIC_URL is unset, empty, not a URL or not http(s)", () => {
    for (const publicUrl of [undefined, "", "keys.example.com", "ftp://keys.example.com"]) {
      expect(serverOrigin(publicUrl, "http://localhost:3201")).toBe("http://localhost:3201");
    }
  });
});

describe("clientSnippets", () => {
  it("gives every family the host and scheme of an https origin on its default port, and no Arize host", () => {
    const snippets = clientSnippets({ origin: "https://keys.example.com", key: KEY });
    const text = Object.fromEntries(snippets.map((s) => [s.family, s.snippet]));
    expect(text.typescript).toBe(
      `export ARIZE_API_KEY=${KEY}\nexport ARIZE_BASE_URL=https://keys.example.com`,
    );
    for (const family of ["python", "go"]) {
      expect(text[family]).toBe(
        `export ARIZE_API_KEY=${KEY}\nexport ARIZE_API_HOST=keys.example.com\nexport ARIZE_API_SCHEME=https`,
      );
    }
    expect(text.ax).toContain('api_host = "keys.example.com"\napi_scheme = "https"');
    // The profile names the key through the environment; the key itself is only in the export.
    expect(text.ax?.split(KEY)).toHaveLength(2);
    for (const s of snippets) expect(s.snippet).not.toMatch(/arize\.com/);
  });

  it("keeps a non-default port in the host", () => {
    const python = clientSnippets({ origin: "http://127.0.0.1:3201", key: KEY }).find(
      (s) => s.family === "python",
    );
    expect(python?.snippet).toContain("export ARIZE_API_HOST=127.0.0.1:3201\nexport ARIZE_API_SCHEME=http");
  });
});
