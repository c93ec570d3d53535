/**
 * `npm start`: builds only when a source changed since the last build (build-stamp.ts), then serves
 * in production mode — in this same process, so a restart starts one Node process, not five.
 */
import path from "node:path";
import { buildIfNeeded } from "./build-stamp";
import { startDefaults } from "./start-defaults";

const code = buildIfNeeded(path.resolve(import.meta.dirname, ".."), { ifChanged: true });
if (code !== 0) process.exit(code);
// Before anything of Next or React loads: they pick their production builds from it.
Object.assign(process.env, { NODE_ENV: "production", ...startDefaults(process.env) });
await import("../server");
