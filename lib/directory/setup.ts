/**
 * First run without the demo: while no account exists the server holds one setup token (random,
 * in memory, single-use, gone with the process) and prints `Set up Keydesk: <url>/setup?token=…`.
 * POST /v2/setup with it creates the account and its first admin and signs them in.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Clock } from "../clock";
import type { Db } from "../db/client";
import { accounts } from "../db/schema";
import { conflict, forbidden, notFound } from "../domain/errors";
import { openSession, type SessionPolicy } from "../auth/sessions";
import { createAccountAdmin } from "./admin";

export class FirstRunSetup {
  private token: string | null = null;
  private spent = false;

  /** Whether the database holds no account yet (setup is possible). */
  async needed(db: Db): Promise<boolean> {
    if (this.spent) return false;
    const [row] = await db.select({ id: accounts.id }).from(accounts).limit(1);
    return !row;
  }

  /**
   * Creates the token when no account exists and returns the line to print, or null. Call once the
   * server knows its address (`baseUrl`, e.g. `http://localhost:3000`).
   */
  async announce(db: Db, baseUrl: string, log: (line: string) => void = console.log): Promise<string | null> {
    if (!(await this.needed(db))) return null;
    this.token ??= randomBytes(32).toString("base64url");
    const line = `Set up Keydesk: ${baseUrl.replace(/\/+$/, "")}/setup?token=${this.token}`;
    log(line);
    return line;
  }

  /** True for the live token (constant-time comparison). */
  check(candidate: string): boolean {
    if (!this.token || this.spent) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  async complete(
    deps: { db: Db; clock: Clock; sessions: SessionPolicy },
    input: {
      token: string;
      accountName: string;
      name: string;
      email: string;
      password: string;
      clientAddress: string | null;
    },
  ) {
    if (!(await this.needed(deps.db))) throw notFound("Keydesk is already set up.");
    if (!this.check(input.token))
      throw forbidden("The setup token is not valid. Use the link printed in the server log.");
    const admin = await createAccountAdmin({
      db: deps.db,
      clock: deps.clock,
      email: input.email,
      name: input.name,
      password: input.password,
      accountName: input.accountName,
      actor: "setup",
      clientAddress: input.clientAddress,
    });
    if (!admin.accountCreated) throw conflict("Keydesk is already set up.");
    this.spent = true;
    this.token = null;
    const session = await openSession(
      deps.db,
      deps.clock,
      deps.sessions,
      { id: admin.userId, accountId: admin.accountId },
      input.clientAddress,
    );
    return {
      ...session,
      user: { id: admin.userId, name: input.name.trim(), email: input.email.trim().toLowerCase() },
    };
  }
}
