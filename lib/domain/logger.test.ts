import { describe, expect, it, vi } from "vitest";
import { createLogger, createRequestLog, logSettingsFromEnv, type LogSettings } from "./logger";

const json: LogSettings = { format: "json", level: "info" };

function sink() {
  const writes: string[] = [];
  return {
    writes,
    write: (text: string) => void writes.push(text),
    lines: () => writes.join("").split("\n").filter(Boolean),
  };
}

describe("LOG_FORMAT and LOG_LEVEL", () => {
  it("default to pretty on a terminal, json otherwise, at info; unknown values fall back", () => {
    expect(logSettingsFromEnv({}, true)).toEqual({ format: "pretty", level: "info" });
    expect(logSettingsFromEnv({}, false)).toEqual({ format: "json", level: "info" });
    expect(logSettingsFromEnv({ LOG_FORMAT: "JSON", LOG_LEVEL: "Debug" }, true)).toEqual({
      format: "json",
      level: "debug",
    });
    expect(logSettingsFromEnv({ LOG_FORMAT: "xml", LOG_LEVEL: "loud" }, false)).toEqual({
      format: "json",
      level: "info",
    });
  });
});

describe("the logger", () => {
  it("writes one JSON object a line with an ISO time, the level by name, and redacts credential fields", () => {
    const out = sink();
    const log = createLogger(json, out);
    log.warn(
      { authorization: "Bearer ak-x", headers: { cookie: "keydesk_session=kds_x" }, a: { password: "pw" } },
      "careful",
    );
    const [line] = out.lines();
    const parsed = JSON.parse(line ?? "") as Record<string, unknown>;
    expect(parsed).toMatchObject({ level: "warn", msg: "careful", authorization: "[redacted]" });
    expect(Date.parse(String(parsed.time))).not.toBeNaN();
    expect(line).not.toContain("kds_x");
    expect(line).not.toContain("pw");
  });
});

describe("the request log", () => {
  it("writes each request as one JSON line, batched, with any address escaped", async () => {
    const out = sink();
    const write = createRequestLog(json, createLogger(json, out), out);
    expect(write).toBeDefined();
    const odd = 'x"y\\z\n{"level":"fatal"}';
    write?.({ req_id: "r-1", method: "GET", route: "/v2/me", status: 401, duration_ms: 1.25, address: odd });
    write?.({ req_id: "r-2", method: "POST", route: "(pages)", status: 500, duration_ms: 3, address: null });
    // Not ASCII (a forwarded value): written as UTF-8, its line still whole.
    const wide = "Zürich\u2028ü";
    write?.({ req_id: "r-3", method: "DELETE", route: "/v2/me", status: 200, duration_ms: 1, address: wide });
    // Not written at once: in a batch, within 50 ms.
    expect(out.writes).toEqual([]);
    await vi.waitFor(() => expect(out.lines()).toHaveLength(3));
    expect(out.writes).toHaveLength(1);
    const [first, second, third] = out.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({
      level: "info",
      msg: "request",
      req_id: "r-1",
      route: "/v2/me",
      status: 401,
      duration_ms: 1.25,
      address: odd,
    });
    expect(second).toMatchObject({ req_id: "r-2", method: "POST", address: null });
    expect(third).toMatchObject({ req_id: "r-3", address: wide, msg: "request" });
    expect(Date.parse(String(first?.time))).not.toBeNaN();
  });

  it("writes a full batch at once, and nothing above info", () => {
    const out = sink();
    const write = createRequestLog(json, createLogger(json, out), out);
    for (let i = 0; i < 1_000; i++)
      write?.({
        req_id: `r-${i}`,
        method: "POST",
        route: "/v2/me",
        status: 200,
        duration_ms: 1,
        address: "127.0.0.1",
      });
    expect(out.writes.length).toBeGreaterThan(0);
    for (const line of out.lines()) expect(() => JSON.parse(line)).not.toThrow();
    const warn: LogSettings = { format: "json", level: "warn" };
    expect(createRequestLog(warn, createLogger(warn, out), out)).toBeUndefined();
  });

  it("writes a read that succeeded at debug only; changes and failures at info", async () => {
    const line = (req_id: string, method: string, status: number) => ({
      req_id,
      method,
      route: "/v2/api-keys/:id",
      status,
      duration_ms: 1,
      address: "127.0.0.1",
    });
    const written = async (settings: LogSettings) => {
      const out = sink();
      const write = createRequestLog(settings, createLogger(settings, out), out);
      write?.(line("read-ok", "GET", 200));
      write?.(line("head-ok", "HEAD", 304));
      write?.(line("read-refused", "GET", 404));
      write?.(line("change", "PATCH", 200));
      write?.(line("last", "POST", 201));
      await vi.waitFor(() => expect(out.lines().at(-1)).toContain('"req_id":"last"'));
      return out.lines().map((l) => JSON.parse(l) as { req_id: string; level: string });
    };
    expect((await written(json)).map((l) => [l.req_id, l.level])).toEqual([
      ["read-refused", "info"],
      ["change", "info"],
      ["last", "info"],
    ]);
    expect((await written({ format: "json", level: "debug" })).map((l) => [l.req_id, l.level])).toEqual([
      ["read-ok", "debug"],
      ["head-ok", "debug"],
      ["read-refused", "info"],
      ["change", "info"],
      ["last", "info"],
    ]);
  });
});
