import { closeDatabase, getDatabase, type DatabaseHandle } from "../db/client";
import { demoWanted, isEmpty, seedDemoDirectory } from "../directory/demo-seed";

/** Opens the process's database and, where wanted, creates the demo directory in an empty one. */
export async function openAppDatabase(log: (line: string) => void = console.log): Promise<DatabaseHandle> {
  return getDatabase(async (handle) => {
    if (demoWanted(handle) && (await isEmpty(handle.db)) && (await seedDemoDirectory(handle.db))) {
      log(
        "Created the demo directory (account Acme). Sign in as admin@example.com, member@example.com or " +
          "readonly@example.com; the password is in the README.",
      );
    }
  });
}

export { closeDatabase };
