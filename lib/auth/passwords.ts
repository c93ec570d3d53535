import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { MAX_PASSWORD, MIN_PASSWORD } from "../schemas/password-rules";

// scrypt with a per-user salt (OWASP: N=2^17 r=8 p=1 is the high end; 2^15 keeps sign-in ~50 ms here).
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function scryptAsync(
  password: string,
  salt: Buffer,
  params: { N: number; r: number; p: number },
): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, options, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$<salt b64>$<hash b64>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, PARAMS);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64"), hash.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (!N || !r || !p) return false;
  const salt = Buffer.from(parts[4] ?? "", "base64");
  const expected = Buffer.from(parts[5] ?? "", "base64");
  const actual = await scryptAsync(password, salt, { N, r, p });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let dummyHash: Promise<string> | undefined;
/**
 * Spends the same time as checking a real password, so an unknown email cannot be told from a wrong
 * password by timing.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword("keydesk-timing-equaliser");
  await verifyPassword(password, await dummyHash);
}

/**
 * The one password rule, everywhere (setup, invitations, changes, the admin CLI), with the forms'
 * lengths (lib/schemas): null when acceptable, otherwise what is wrong.
 */
export function passwordProblem(password: string): string | null {
  if ([...password].length < MIN_PASSWORD) return `The password must be at least ${MIN_PASSWORD} characters.`;
  if (password.length > MAX_PASSWORD) return "The password is too long.";
  return null;
}

/** A temporary password for an invitation or reset: 24 characters from the CSPRNG (144 bits). */
export function generateTemporaryPassword(): string {
  return randomBytes(18).toString("base64url");
}
