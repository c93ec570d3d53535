import path from "node:path";
import type { DemoUser } from "../lib/testing/demo-viewers";

/** Where auth.setup.ts keeps a demo person's signed-in session (the people: lib/testing/demo-viewers.ts). */
const authDir = path.join(import.meta.dirname, ".auth");
export const storageStatePath = (user: DemoUser) => path.join(authDir, `${user}.json`);
