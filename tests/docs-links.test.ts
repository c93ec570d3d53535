import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The README and the pages under docs/ link each other and the repository's files: every relative
 * link must reach a file of the repository and, with a `#fragment`, a heading of it.
 */
const ROOT = path.resolve(import.meta.dirname, "..");
const DOCS = path.join(ROOT, "docs");
const PAGES = [
  path.join(ROOT, "README.md"),
  ...readdirSync(DOCS)
    .filter((name) => name.endsWith(".md"))
    .map((name) => path.join(DOCS, name)),
];

/** Markdown without fenced code blocks and inline code, where `[x](y)` is not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").replace(/`[^`\n]*`/g, "");
}

/** Link and image targets, and `<a href>` / `<img src>` ones. */
function targets(markdown: string): string[] {
  const text = prose(markdown).replace(/<!--[\s\S]*?-->/g, "");
  const found: string[] = [];
  for (const m of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
    found.push(m[1] ?? "");
  for (const m of text.matchAll(/<(?:a|img)\s[^>]*?(?:href|src)="([^"]+)"/g)) found.push(m[1] ?? "");
  return found;
}

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of prose(readFileSync(file, "utf8")).split("\n")) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m?.[1]) continue;
    const base = slug(m[1].replace(/\[([^\]]*)\]\([^)]*\)/g, "$1"));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

describe("documentation links", () => {
  it("finds the pages and their links", () => {
    expect(PAGES.length).toBeGreaterThan(5);
    expect(targets(readFileSync(PAGES[0] ?? "", "utf8")).length).toBeGreaterThan(5);
  });

  it.each(PAGES.map((file) => [path.relative(ROOT, file), file]))(
    "every relative link in %s reaches a file of the repository and its heading",
    (_name, file) => {
      const broken: string[] = [];
      for (const target of targets(readFileSync(file, "utf8"))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
        const [pathPart = "", fragment] = target.split("#", 2);
        const resolved = pathPart ? path.resolve(path.dirname(file), decodeURI(pathPart)) : file;
        if (!resolved.startsWith(ROOT + path.sep) || !existsSync(resolved)) {
          broken.push(`${target}: no such file in the repository`);
          continue;
        }
        if (fragment && (statSync(resolved).isDirectory() || !anchors(resolved).has(fragment))) {
          broken.push(`${target}: no heading #${fragment}`);
        }
      }
      expect(broken).toEqual([]);
    },
  );

  it("the README's table of contents links every page under docs/", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const linked = new Set(
      targets(readme)
        .filter((t) => t.startsWith("docs/"))
        .map((t) => t.split("#")[0]),
    );
    const pages = readdirSync(DOCS)
      .filter((name) => name.endsWith(".md"))
      .map((name) => `docs/${name}`);
    expect(pages.filter((page) => !linked.has(page))).toEqual([]);
  });

  it("the README's first screen says how to start, test and sign in, and shows the dashboard", () => {
    const firstScreen = readFileSync(path.join(ROOT, "README.md"), "utf8")
      .split("\n")
      .slice(0, 40)
      .join("\n");
    expect(firstScreen).toContain("npm start");
    expect(firstScreen).toContain("npm test");
    for (const email of ["admin@example.com", "member@example.com", "readonly@example.com"]) {
      expect(firstScreen).toContain(email);
    }
    expect(firstScreen).toContain("keydesk-demo");
    expect(firstScreen).toMatch(/!\[[^\]]+\]\(e2e\/screenshots\/[\w-]+\.png\)/);
  });
});
