import type { DbOrTx } from "../../db/client";
import { conflict } from "../../domain/errors";
import type { Principal } from "../../auth/principal";
import { currentCaller } from "../caller";
import { isUniqueViolation, type DirectoryDeps } from "../context";

/**
 * An organization or space change: `run` in one transaction on the caller as committed (it audits
 * there), then the caches are told; a name already taken in the same place is a conflict naming
 * `taken.what`.
 */
export async function changeDirectory<T>(
  deps: DirectoryDeps,
  principal: Principal,
  run: (tx: DbOrTx, caller: Principal) => Promise<T>,
  taken?: { what: string; name: string | undefined },
): Promise<T> {
  try {
    const result = await deps.db.transaction(async (tx) => run(tx, await currentCaller(tx, principal)));
    deps.events?.directoryChanged?.();
    return result;
  } catch (err) {
    if (taken?.name && isUniqueViolation(err))
      throw conflict(`${taken.what} named "${taken.name}" already exists.`);
    throw err;
  }
}
