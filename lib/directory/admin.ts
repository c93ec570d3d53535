import { randomUUID } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import type { Clock } from "../clock";
import type { Db } from "../db/client";
import { accounts, users } from "../db/schema";
import { writeAudit } from "../domain/audit";
import { conflict, invalid } from "../domain/errors";
import { hashPassword, passwordProblem } from "../auth/passwords";
import { normalizeEmail } from "../auth/sessions";

const DEFAULT_ACCOUNT_NAME = "Keydesk";

export interface CreateAccountAdminInput {
  db: Db;
  clock: Clock;
  email: string;
  name: string;
  password: string;
  /**
   * Name of the account to create if none exists yet (default "Keydesk"). When the account exists,
   * a name given here must be its name: a different one is refused, never silently ignored.
   */
  accountName?: string;
  /** `setup`: the first-run page — refuses (409) when an account exists. Default `cli`. */
  actor?: "cli" | "setup";
  clientAddress?: string | null;
}

export interface CreatedAccountAdmin {
  userId: string;
  accountId: string;
  accountName: string;
  /** True when this call created the account. */
  accountCreated: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * Creates an account admin, for a real deployment's first sign-in (the CLI's `create-admin`).
 * Creates the account if there is none; otherwise adds the admin to the existing one.
 */
export async function createAccountAdmin(input: CreateAccountAdminInput): Promise<CreatedAccountAdmin> {
  const email = normalizeEmail(input.email);
  const name = input.name.trim();
  const accountName = (input.accountName ?? DEFAULT_ACCOUNT_NAME).trim();
  if (!EMAIL.test(email) || email.length > 320 || email.includes("\u0000"))
    throw invalid("Give a valid email address.", "email");
  if (!name || name.length > 256 || name.includes("\u0000"))
    throw invalid("Give a name of 1 to 256 characters.", "name");
  if (!accountName || accountName.length > 256 || accountName.includes("\u0000"))
    throw invalid("Give an account name of 1 to 256 characters.", "account");
  const problem = passwordProblem(input.password);
  if (problem) throw invalid(problem, "password");

  const passwordHash = await hashPassword(input.password);
  const duplicate = () => conflict(`A user with the email ${email} already exists.`);
  try {
    return await input.db.transaction(async (tx) => {
      // Serialise with the demo seed and with other create-admin runs: exactly one first account.
      await tx.execute(sql`lock table accounts in exclusive mode`);
      const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
      if (taken) throw duplicate();

      const now = input.clock.now();
      const existing = await tx
        .select({ id: accounts.id, name: accounts.name })
        .from(accounts)
        .orderBy(asc(accounts.createdAt), asc(accounts.id))
        .limit(2);
      if (existing.length > 1)
        throw conflict("This database holds several accounts; create-admin supports exactly one.");
      let account = existing[0];
      if (account && input.actor === "setup") throw conflict("Keydesk is already set up.");
      if (account && input.accountName !== undefined && account.name !== accountName)
        throw conflict(
          `This database's account is "${account.name}", not "${accountName}". Leave --account out to add the admin to "${account.name}".`,
        );
      const accountCreated = !account;
      if (!account) {
        account = { id: randomUUID(), name: accountName };
        await tx.insert(accounts).values({ ...account, createdAt: now });
      }

      const userId = randomUUID();
      await tx.insert(users).values({
        id: userId,
        accountId: account.id,
        kind: "human",
        name,
        email,
        passwordHash,
        accountRole: "admin",
        createdAt: now,
      });
      await writeAudit(tx, {
        at: now,
        accountId: account.id,
        ...(input.actor === "setup"
          ? { actorCredential: "anonymous" as const, actorUserId: userId, clientAddress: input.clientAddress }
          : { actorCredential: "cli" as const }),
        action: input.actor === "setup" ? "setup" : "user.create_admin",
        targetType: "user",
        targetId: userId,
        details: { accountCreated },
      });
      return { userId, accountId: account.id, accountName: account.name, accountCreated };
    });
  } catch (err) {
    // A concurrent run that inserted the same email first.
    if (
      (err as { code?: unknown }).code === "23505" ||
      (err as { cause?: { code?: unknown } }).cause?.code === "23505"
    )
      throw duplicate();
    throw err;
  }
}
