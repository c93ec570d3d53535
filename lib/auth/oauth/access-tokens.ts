/**
 * The `ax` CLI's access tokens on `/v2`: an opaque token oidc-provider issued, found by its digest in
 * `oauth_records`, good until it expires or its grant is revoked (which deletes it), for a person who
 * is not blocked. It acts as that person with all their access, like a session.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Clock } from "../../clock";
import type { Db } from "../../db/client";
import { oauthRecords } from "../../db/schema";
import { sha256Hex } from "../../domain/digest";

/** oidc-provider's opaque tokens: 43 characters of base64url (256 bits). */
const OPAQUE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The person and grant of a live CLI access token, or null. */
export async function resolveOAuthAccessToken(
  db: Db,
  clock: Clock,
  token: string,
): Promise<{ userId: string; grantId: string } | null> {
  if (!OPAQUE_TOKEN.test(token)) return null;
  const [row] = await db
    .select({ userId: oauthRecords.userId, grantId: oauthRecords.grantId, expiresAt: oauthRecords.expiresAt })
    .from(oauthRecords)
    .where(
      and(
        eq(oauthRecords.model, "AccessToken"),
        eq(oauthRecords.id, sha256Hex(token)),
        isNull(oauthRecords.consumedAt),
        // Its grant still stands (a reused refresh token ends the grant, even while a racing refresh
        // was saving new tokens under it).
        // Qualified by hand: Drizzle leaves a one-table select's columns unqualified.
        sql`exists (select 1 from oauth_records g where g.model = 'Grant' and g.grant_id = "oauth_records"."grant_id")`,
      ),
    );
  if (!row?.userId || !row.grantId || !row.expiresAt) return null;
  if (clock.now().getTime() >= row.expiresAt.getTime()) return null;
  return { userId: row.userId, grantId: row.grantId };
}
