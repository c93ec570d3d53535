/**
 * What `npm start` (scripts/start.ts) sets before the server loads, besides production mode: the
 * demo comes with its keys (lib/keys/demo-keys.ts) unless `KEYDESK_DEMO_KEYS` says otherwise. A test
 * starts the server with these to check that `npm start`'s demo shows them.
 */
export function startDefaults(env: Record<string, string | undefined>): Record<string, string> {
  return { KEYDESK_DEMO_KEYS: env.KEYDESK_DEMO_KEYS ?? "1" };
}
