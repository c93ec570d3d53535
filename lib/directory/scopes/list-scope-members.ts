import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import { preparedPerDatabase } from "../../db/prepared";
import { users } from "../../db/schema";
import { afterCursor, cursorValues, decodeCursor, toPage, type Page } from "../../domain/pagination";
import type { Actor, DirectoryDeps } from "../context";
import { statusOf } from "../users";
import { SCOPE_KINDS, type MembershipView, type ScopeKindName } from "./scope-kinds";

interface MembersShape {
  scope: ScopeKindName;
  cursor: boolean;
}

/**
 * A member list in the people's order (created_at, id), read from the membership's own copies of
 * its user's created_at and kind: the scope's list index (scope id, user_created_at, user_id) where
 * user_kind = 'human' serves the order, the cursor (a row comparison) and the filter, and each of the
 * page's rows joins its user by primary key, whatever the scope's or the account's size.
 */
const membersQuery = preparedPerDatabase(
  "keydesk_list_members",
  (shape: MembersShape) => `${shape.scope}${shape.cursor ? "_cursor" : ""}`,
  (db: Db, shape: MembersShape, name: string) => {
    const p = sql.placeholder;
    const { membership: table, membershipScopeId: scopeColumn } = SCOPE_KINDS[shape.scope];
    const where: SQL[] = [eq(scopeColumn, p("scopeId")), eq(table.userKind, "human")];
    if (shape.cursor) where.push(afterCursor(table.userCreatedAt, table.userId));
    return db
      .select({
        userId: table.userId,
        createdAt: table.userCreatedAt,
        role: table.role,
        name: users.name,
        email: users.email,
        status: users.status,
        inviteExpiresAt: users.inviteExpiresAt,
      })
      .from(table)
      .innerJoin(users, eq(users.id, table.userId))
      .where(and(...where))
      .orderBy(asc(table.userCreatedAt), asc(table.userId))
      .limit(p("limit"))
      .prepare(name);
  },
);

/** [ext] The people holding a role in an organization or a space, oldest account first. */
export async function listScopeMembers<K extends ScopeKindName>(
  deps: DirectoryDeps,
  input: Actor & { kind: K; id: string | null; limit: number; cursor?: string },
): Promise<Page<MembershipView>> {
  const kind = SCOPE_KINDS[input.kind];
  const scopeId = (await kind.readVisible(deps.db, input.principal, input.id)).id;
  const cursor = input.cursor ? decodeCursor(input.cursor) : undefined;
  const now = deps.clock.now();
  const values = { scopeId, limit: input.limit + 1, ...cursorValues(cursor) };
  const rows = await membersQuery(deps.db, { scope: input.kind, cursor: !!cursor }).execute(values);
  const page = toPage(rows, input.limit, (r) => ({ createdAt: r.createdAt, id: r.userId }));
  return {
    ...page,
    items: page.items.map((r) => ({
      scope: input.kind,
      scopeId,
      userId: r.userId,
      role: r.role,
      user: { name: r.name, email: r.email ?? "", status: statusOf(r, now) },
    })),
  };
}
