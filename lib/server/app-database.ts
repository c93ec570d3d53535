import { closeDatabase, getDatabase, type DatabaseHandle } from "../db/client";
import { DEMO_USERS, demoWanted, isEmpty, seedDemoDirectory } from "../directory/demo-seed";
import { demoKeysWanted, seedDemoKeys } from "../keys/demo-keys";

/** Opens the process's database and, where wanted, creates the demo directory in an empty one. */
export async function openAppDatabase(log: (line: string) => void = console.log): Promise<DatabaseHandle> {
  return getDatabase(async (handle) => {
    if (demoWanted(handle) && (await isEmpty(handle.db)) && (await seedDemoDirectory(handle.db))) {
      log(
        "Created the demo directory (account Acme). Sign in as admin@example.com, member@example.com or " +
          "readonly@example.com; the password is in the README.",
      );
      if (demoKeysWanted()) {
        const owners = {
          admin: DEMO_USERS.admin.email,
          member: DEMO_USERS.member.email,
          readOnly: DEMO_USERS.readOnly.email,
        };
        const made = await seedDemoKeys({ db: handle.db, owners });
        log(`Created ${made} demo API keys (their secrets were not kept: only their redacted forms remain).`);
      }
    }
  });
}

export { closeDatabase };
