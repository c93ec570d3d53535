import type { Db } from "../db/client";

export interface TransactionGate {
  /** The handle to give the API: the same database, with the gate in front of `transaction`. */
  db: Db;
  /**
   * Holds the next transaction at its start. `reached` resolves when a request gets there; the
   * transaction begins once `release` is called. Later transactions pass freely.
   */
  holdNext(): { reached: Promise<void>; release(): void };
}

/**
 * A database handle whose next transaction waits at its start until the test lets it go: a hook to
 * commit a concurrent change (through another request) after a request has authenticated and passed
 * its checks, and before it writes — on PGlite, whose one connection runs transactions one at a time,
 * as on PostgreSQL. No sleeps: the test waits for `reached`.
 */
export function transactionGate(db: Db): TransactionGate {
  let held: { arrive(): void; gate: Promise<void> } | null = null;
  const transaction: Db["transaction"] = async (run, config) => {
    const hold = held;
    held = null;
    if (hold) {
      hold.arrive();
      await hold.gate;
    }
    return db.transaction(run, config);
  };
  const gated = new Proxy(db, {
    get(target, property) {
      if (property === "transaction") return transaction;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    db: gated,
    holdNext() {
      let arrive = () => {};
      let release = () => {};
      const reached = new Promise<void>((resolve) => (arrive = resolve));
      const gate = new Promise<void>((resolve) => (release = resolve));
      held = { arrive, gate };
      return { reached, release };
    },
  };
}
