/**
 * The authorization server's own keys: the RSA key that signs `id_token`s, and the keys that sign its
 * cookies. Made once, by the first instance to start, and kept in the database (one row of
 * `oauth_records`, model `KeydeskServerKeys`): every other instance reads the same ones, so a token or
 * cookie made by one instance is good at any other.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { JWK } from "oidc-provider";
import type { Db } from "../../db/client";
import { oauthRecords } from "../../db/schema";

const MODEL = "KeydeskServerKeys";
const ID = "current";

interface ServerKeys {
  signingKey: JWK;
  cookieKeys: string[];
}

function isServerKeys(value: unknown): value is ServerKeys {
  if (!value || typeof value !== "object") return false;
  const v = value as Partial<ServerKeys>;
  return (
    typeof v.signingKey === "object" &&
    v.signingKey !== null &&
    Array.isArray(v.cookieKeys) &&
    v.cookieKeys.every((k) => typeof k === "string")
  );
}

function newServerKeys(): ServerKeys {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = privateKey.export({ format: "jwk" });
  return {
    signingKey: { ...jwk, kid: randomBytes(8).toString("hex"), use: "sig", alg: "RS256" } as JWK,
    cookieKeys: [randomBytes(32).toString("base64url")],
  };
}

/** The keys, made and stored if no instance has yet (the first insert wins; the others read it). */
export async function serverKeys(db: Db): Promise<ServerKeys> {
  const read = async () => {
    const [row] = await db
      .select({ payload: oauthRecords.payload })
      .from(oauthRecords)
      .where(and(eq(oauthRecords.model, MODEL), eq(oauthRecords.id, ID)));
    return row && isServerKeys(row.payload) ? row.payload : null;
  };
  const existing = await read();
  if (existing) return existing;
  const fresh = newServerKeys();
  await db
    .insert(oauthRecords)
    .values({ model: MODEL, id: ID, payload: { ...fresh } })
    .onConflictDoNothing();
  const stored = await read();
  if (!stored) throw new Error("The OAuth server's keys could not be stored.");
  return stored;
}
