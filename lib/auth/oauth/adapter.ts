/**
 * oidc-provider's storage (its `adapter`), in one table of the database (`oauth_records`), so that every
 * instance over one PostgreSQL sees the same codes, tokens, grants and interactions. Ids are stored as
 * their SHA-256: for a token, oidc-provider's id is the token itself.
 */
import { and, eq, isNull, lte, sql } from "drizzle-orm";
import { errors, type Adapter, type AdapterPayload } from "oidc-provider";
import type { Db } from "../../db/client";
import { oauthRecords } from "../../db/schema";
import { sha256Hex } from "../../domain/digest";
import { decodeId } from "../../domain/ids";

/** The models whose records are good for one use. */
const SINGLE_USE_MODELS = new Set(["AuthorizationCode", "RefreshToken"]);

/** The models whose records belong to one person (listed on their Signed-in apps, removed with them). */
const PERSONAL_MODELS = new Set(["AccessToken", "RefreshToken", "AuthorizationCode", "Grant"]);

export class DrizzleAdapter implements Adapter {
  constructor(
    private readonly db: Db,
    private readonly model: string,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const expiresAt = expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
    const userId =
      PERSONAL_MODELS.has(this.model) && typeof payload.accountId === "string"
        ? decodeId("User", payload.accountId)
        : null;
    const row = {
      payload: payload as Record<string, unknown>,
      // A grant carries its own id, so that revoking by grant id removes it with its tokens.
      grantId: payload.grantId ?? (this.model === "Grant" ? (payload.jti ?? null) : null),
      userId,
      uid: payload.uid ?? null,
      userCode: payload.userCode ?? null,
      expiresAt,
    };
    await this.db
      .insert(oauthRecords)
      .values({ model: this.model, id: sha256Hex(id), ...row })
      .onConflictDoUpdate({ target: [oauthRecords.model, oauthRecords.id], set: row });
    // Each sign-in starts with a new interaction: the moment to sweep what has expired (codes, tokens,
    // grants, interactions), whichever instance it lands on.
    if (this.model === "Interaction" && !payload.result) {
      await this.db.delete(oauthRecords).where(lte(oauthRecords.expiresAt, new Date()));
    }
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.findWhere(eq(oauthRecords.id, sha256Hex(id)));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.findWhere(eq(oauthRecords.uid, uid));
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.findWhere(eq(oauthRecords.userCode, userCode));
  }

  private async findWhere(condition: ReturnType<typeof eq>): Promise<AdapterPayload | undefined> {
    const [row] = await this.db
      .select({ payload: oauthRecords.payload, consumedAt: oauthRecords.consumedAt })
      .from(oauthRecords)
      .where(
        and(
          eq(oauthRecords.model, this.model),
          condition,
          sql`(${oauthRecords.expiresAt} is null or ${oauthRecords.expiresAt} > now())`,
        ),
      )
      .limit(1);
    if (!row) return undefined;
    return {
      ...(row.payload as AdapterPayload),
      ...(row.consumedAt ? { consumed: Math.floor(row.consumedAt.getTime() / 1000) } : {}),
    };
  }

  /**
   * Marks a code or refresh token used, once: of two requests racing with the same one, the second
   * finds it already used, and that is reuse (RFC 9700 §4.14.2): the whole grant ends, and the
   * request is refused. (oidc-provider checks `consumed` before, but not atomically.)
   */
  async consume(id: string): Promise<void> {
    const digest = sha256Hex(id);
    const used = await this.db
      .update(oauthRecords)
      .set({ consumedAt: new Date() })
      .where(
        and(eq(oauthRecords.model, this.model), eq(oauthRecords.id, digest), isNull(oauthRecords.consumedAt)),
      )
      .returning({ id: oauthRecords.id });
    if (used.length > 0 || !SINGLE_USE_MODELS.has(this.model)) return;
    const [row] = await this.db
      .select({ grantId: oauthRecords.grantId })
      .from(oauthRecords)
      .where(and(eq(oauthRecords.model, this.model), eq(oauthRecords.id, digest)));
    if (row?.grantId) await this.revokeByGrantId(row.grantId);
    throw new errors.InvalidGrant(
      `${this.model === "RefreshToken" ? "refresh token" : "authorization code"} already used`,
    );
  }

  async destroy(id: string): Promise<void> {
    await this.db
      .delete(oauthRecords)
      .where(and(eq(oauthRecords.model, this.model), eq(oauthRecords.id, sha256Hex(id))));
  }

  /** Every record of the grant, whatever its model: its codes, tokens and the grant itself. */
  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.delete(oauthRecords).where(eq(oauthRecords.grantId, grantId));
  }
}
