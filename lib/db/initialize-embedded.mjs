// Creates a new embedded database (PGlite's initdb) and brings its schema up to date, then exits.
//
// Run as a child process by openDatabase (client.ts) when a data directory is still empty: PGlite's
// initdb grows WebAssembly memory that the process cannot hand back afterwards, so a server that ran
// it itself carried ~340 MiB more RSS for its whole life (854 MiB at start-up against 277 MiB on a
// second start, issue 10). In a child, that memory ends with the child. The parent holds the data
// directory's lock (embedded-lock.ts) for the whole time.
//
// Plain JavaScript, so it runs with nothing but node: `node initialize-embedded.mjs <dataDir>
// <migrationsFolder> <PGlite options as JSON>`.
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";

const [dataDir, migrationsFolder, options] = process.argv.slice(2);
if (!dataDir || !migrationsFolder || !options) {
  console.error("usage: initialize-embedded.mjs <dataDir> <migrationsFolder> <options JSON>");
  process.exit(2);
}
const client = new PGlite(dataDir, JSON.parse(options));
try {
  await migrate(drizzle({ client }), { migrationsFolder });
} finally {
  await client.close();
}
