/**
 * docs/client-matrix.md is the matrix the client suites run (lib/testing/client-matrix.ts), rendered
 * and formatted as `npm run format` leaves it. With KEYDESK_WRITE_CLIENT_MATRIX=1 this writes the page
 * instead of checking it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { format, resolveConfig } from "prettier";
import { expect, it } from "vitest";
import { clientMatrixMarkdown } from "../lib/testing/client-matrix";
import { REPO_ROOT } from "../lib/testing/spawn-server";

const PAGE = path.join(REPO_ROOT, "docs", "client-matrix.md");

it("docs/client-matrix.md is current with the matrix the client suites run", async () => {
  const page = await format(clientMatrixMarkdown(), {
    ...(await resolveConfig(PAGE)),
    filepath: PAGE,
  });
  if (process.env.KEYDESK_WRITE_CLIENT_MATRIX === "1") writeFileSync(PAGE, page);
  expect(readFileSync(PAGE, "utf8")).toBe(page);
});
