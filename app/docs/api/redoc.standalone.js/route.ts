import { readFile } from "node:fs/promises";
import path from "node:path";

/**
 * Redoc's standalone bundle (React and Redoc in one file, no CDN, no web font), served from the app
 * itself so `/docs/api` works offline: 1.1 MB, 327 KB gzipped by a proxy that compresses (Next.js
 * drops a route handler's own `content-encoding`). Read once from node_modules and kept in memory;
 * browsers keep it a day. No dashboard page loads it: only `/docs/api`.
 */
const BUNDLE = path.join(process.cwd(), "node_modules", "redoc", "bundles", "redoc.standalone.js");

/**
 * The one address Redoc 2.5 fetches by itself: the logo beside its "API docs by Redocly" link. It is
 * served as an empty image instead, which Redoc hides (its own fallback for a logo that fails to
 * load); the link stays. Nothing then leaves the app's origin.
 */
const FOREIGN_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg";

let cached: Promise<string> | undefined;

function bundle(): Promise<string> {
  cached ??= readFile(BUNDLE, "utf8").then(
    (text) => text.replaceAll(FOREIGN_LOGO, "data:,"),
    (error: unknown) => {
      cached = undefined; // a later request tries again
      throw error;
    },
  );
  return cached;
}

export async function GET(): Promise<Response> {
  return new Response(await bundle(), {
    headers: {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=86400",
    },
  });
}
