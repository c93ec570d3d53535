/**
 * `npm run build`: `next build`, then the stamp of the sources it was made from (build-stamp.ts).
 * With `--if-changed`, no build when the stamp matches.
 */
import path from "node:path";
import { buildIfNeeded } from "./build-stamp";

const root = path.resolve(import.meta.dirname, "..");
process.exit(buildIfNeeded(root, { ifChanged: process.argv.includes("--if-changed") }));
