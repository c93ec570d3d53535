import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const eslint = new ESLint({ cwd: ROOT });

/** The boundary rules' messages for `code` as if it were the file at `filePath`. */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === "import/no-restricted-paths" || m.ruleId === "no-restricted-imports")
    .map((m) => m.message);
}

describe("the layers' boundary rule (eslint.config.mjs, on resolved paths)", () => {
  it("refuses the database in a component, however the import is spelled", async () => {
    for (const specifier of ["../lib/db/client", "@/lib/db/client", "../lib/../lib/db/client"]) {
      const errors = await boundaryErrors(
        "components/x.ts",
        `import { openDatabase } from "${specifier}";\nexport const x = openDatabase;\n`,
      );
      expect(errors, specifier).toEqual([expect.stringMatching(/only through lib\/keys-client/)]);
    }
  });

  it("refuses the domain in the dashboard's server side and in pages", async () => {
    expect(
      await boundaryErrors(
        "lib/dashboard/x.ts",
        `import { createApiKey } from "../keys/api-keys";\nexport const x = createApiKey;\n`,
      ),
    ).toHaveLength(1);
    expect(
      await boundaryErrors(
        "app/x/page.tsx",
        `import { findSpace } from "@/lib/auth/principal";\nexport const x = findSpace;\n`,
      ),
    ).toHaveLength(1);
  });

  it("refuses test support in production code", async () => {
    for (const file of ["lib/keys/x.ts", "server.ts", "components/x.tsx", "scripts/x.ts"]) {
      const relative = path.relative(path.dirname(file), "lib/testing/test-databases");
      const specifier = relative.startsWith(".") ? relative : `./${relative}`;
      const errors = await boundaryErrors(
        file,
        `import { testDatabases } from "${specifier}";\nexport const x = testDatabases;\n`,
      );
      expect(errors, file).toEqual([expect.stringMatching(/Test support is for tests only/)]);
    }
  });

  it("keeps lib/db at the bottom: it imports nothing above it", async () => {
    const errors = await boundaryErrors(
      "lib/db/x.ts",
      `import { createApiKey } from "../keys/api-keys";\nexport const x = createApiKey;\n`,
    );
    expect(errors).toEqual([expect.stringMatching(/lib\/db is the bottom layer/)]);
  });

  it("keeps lib/roles pure, so components may import it", async () => {
    expect(
      await boundaryErrors("lib/roles/x.ts", `import { db } from "../db/client";\nexport const x = db;\n`),
    ).toEqual([expect.stringMatching(/lib\/roles is pure/)]);
    expect(await boundaryErrors("lib/roles/x.ts", `import "server-only";\nexport const x = 1;\n`)).toEqual([
      expect.stringMatching(/lib\/roles is pure/),
    ]);
    expect(
      await boundaryErrors(
        "components/x.ts",
        `import { clampReason } from "@/lib/roles/roles";\nexport const x = clampReason;\n`,
      ),
    ).toEqual([]);
  });

  it("keeps the domain folders' arrows downward: keys and directory → auth → roles, domain → schemas → db", async () => {
    const refusals: [file: string, specifier: string, message: RegExp][] = [
      ["lib/keys/x.ts", "../directory/users", /lib\/keys imports only/],
      ["lib/keys/x.ts", "../keys/../directory/directory", /lib\/keys imports only/],
      ["lib/keys/x.ts", "../api/app", /lib\/keys imports only/],
      ["lib/directory/x.ts", "../keys/api-keys", /lib\/directory imports only/],
      ["lib/directory/x.ts", "@/lib/dashboard/viewer", /lib\/directory imports only/],
      ["lib/auth/x.ts", "../directory/admin", /lib\/auth imports only/],
      ["lib/auth/x.ts", "../keys/verify", /lib\/auth imports only/],
      ["lib/domain/x.ts", "../auth/principal", /lib\/domain imports only/],
      ["lib/domain/x.ts", "../directory/users", /lib\/domain imports only/],
      ["lib/schemas/x.ts", "../roles/roles", /lib\/schemas imports only lib\/roles\/names.ts/],
      ["lib/schemas/x.ts", "../domain/errors", /lib\/schemas imports only lib\/roles\/names.ts/],
    ];
    for (const [file, specifier, message] of refusals) {
      const errors = await boundaryErrors(
        file,
        `import { x as y } from "${specifier}";\nexport const x = y;\n`,
      );
      expect(errors, `${file} → ${specifier}`).toEqual([expect.stringMatching(message)]);
    }
  });

  it("keeps lib/webhooks beside lib/keys: keys queue events through lib/domain/outbox.ts, never lib/webhooks", async () => {
    const refusals: [file: string, specifier: string, message: RegExp][] = [
      ["lib/webhooks/x.ts", "../keys/api-keys", /lib\/webhooks imports only/],
      ["lib/webhooks/x.ts", "../directory/users", /lib\/webhooks imports only/],
      ["lib/webhooks/x.ts", "../api/app", /lib\/webhooks imports only/],
      ["lib/keys/x.ts", "../webhooks/delivery", /lib\/keys imports only/],
      ["lib/directory/x.ts", "../webhooks/webhooks", /lib\/directory imports only/],
      ["lib/domain/x.ts", "../webhooks/send", /lib\/domain imports only/],
      ["components/x.ts", "../lib/webhooks/webhooks", /only through lib\/keys-client/],
    ];
    for (const [file, specifier, message] of refusals) {
      const errors = await boundaryErrors(
        file,
        `import { x as y } from "${specifier}";\nexport const x = y;\n`,
      );
      expect(errors, `${file} → ${specifier}`).toEqual([expect.stringMatching(message)]);
    }
    const allowed: [file: string, specifier: string][] = [
      ["lib/keys/x.ts", "../domain/outbox"],
      ["lib/webhooks/x.ts", "../domain/outbox"],
      ["lib/webhooks/x.ts", "../auth/access"],
      ["lib/webhooks/x.ts", "../roles/webhooks"],
      ["lib/api/x.ts", "../webhooks/webhooks"],
      ["server.ts", "./lib/webhooks/delivery"],
    ];
    for (const [file, specifier] of allowed) {
      const errors = await boundaryErrors(
        file,
        `import { x as y } from "${specifier}";\nexport const x = y;\n`,
      );
      expect(errors, `${file} → ${specifier}`).toEqual([]);
    }
  });

  it("lets the domain folders import what is below them, and everyone the roles' names", async () => {
    const allowed: [file: string, specifier: string][] = [
      ["lib/keys/x.ts", "../auth/access"],
      ["lib/keys/x.ts", "../roles/roles"],
      ["lib/directory/x.ts", "../auth/access"],
      ["lib/directory/x.ts", "../schemas/directory-forms"],
      ["lib/auth/x.ts", "../domain/errors"],
      ["lib/domain/x.ts", "../schemas/common"],
      ["lib/domain/x.ts", "../roles/roles"],
      ["lib/schemas/x.ts", "../roles/names"],
      ["lib/db/x.ts", "../roles/names"],
    ];
    for (const [file, specifier] of allowed) {
      const errors = await boundaryErrors(
        file,
        `import { x as y } from "${specifier}";\nexport const x = y;\n`,
      );
      expect(errors, `${file} → ${specifier}`).toEqual([]);
    }
  });

  it("lets the layers use what they may: the keys client from a component, the domain from the API", async () => {
    expect(
      await boundaryErrors(
        "lib/dashboard/x.ts",
        `import { keysClient } from "../keys-client";\nexport const x = keysClient;\n`,
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        "lib/api/x.ts",
        `import { createApiKey } from "../keys/api-keys";\nexport const x = createApiKey;\n`,
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        "lib/keys/x.test.ts",
        `import { testDatabases } from "../testing/test-databases";\nexport const x = testDatabases;\n`,
      ),
    ).toEqual([]);
  });
});
