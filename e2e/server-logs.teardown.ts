/**
 * After a Playwright run: the servers' logs (LOG_FORMAT=json, written under test-results/server-logs by
 * playwright.config.ts) hold one JSON object with `time`, `level` and `msg` a line, and nothing shaped
 * like a Keydesk API key or session token, whatever the specs made, revealed or sent (operations.md
 * "Logs"). A failure fails the run and names the file and line, never the secret.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { serverLogDir } from "./playwright.config";

// lib/keys/secrets.ts (KEY_SEARCH_PATTERN) and lib/domain/digest.ts (newSessionToken).
const SECRET_SHAPES: [string, RegExp][] = [
  ["an API key", /ak-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}-[A-Za-z0-9_-]{32}/],
  ["a session token", /kds_[A-Za-z0-9_-]{43}/],
];

export default function checkServerLogs(): void {
  if (!existsSync(serverLogDir)) throw new Error(`No server logs in ${serverLogDir}.`);
  const problems: string[] = [];
  let checked = 0;
  for (const name of readdirSync(serverLogDir)) {
    const file = path.join(serverLogDir, name);
    const text = readFileSync(file, "utf8");
    // The servers are still running: a last line still being written is left for them to finish.
    const lines = text
      .slice(0, text.lastIndexOf("\n") + 1)
      .split("\n")
      .slice(0, -1);
    lines.forEach((line, i) => {
      const where = `${path.relative(process.cwd(), file)}:${i + 1}`;
      for (const [what, shape] of SECRET_SHAPES) if (shape.test(line)) problems.push(`${where}: ${what}`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        problems.push(`${where}: not JSON: ${line.slice(0, 200)}`);
        return;
      }
      const fields = parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
      if (
        typeof fields.time !== "string" ||
        typeof fields.level !== "string" ||
        typeof fields.msg !== "string"
      )
        problems.push(`${where}: no time, level or msg: ${line.slice(0, 200)}`);
    });
    checked += lines.length;
  }
  if (checked === 0) throw new Error(`The server logs in ${serverLogDir} are empty.`);
  if (problems.length) {
    throw new Error(`The servers' logs break the logging contract:\n${problems.slice(0, 50).join("\n")}`);
  }
}
