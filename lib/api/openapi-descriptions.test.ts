import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type ApiHarness } from "../testing/api-harness";
import { testDatabases } from "../testing/test-databases";

/**
 * `/v2/openapi.json` is read by people on `/docs/api`, away from the repository: every text in it
 * must stand alone, naming no document or source file the reader does not have.
 */
interface Text {
  where: string;
  text: string;
}

/** Every `description` and `summary` string in the document, with its JSON path. */
function texts(node: unknown, where = "$"): Text[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => texts(item, `${where}[${i}]`));
  if (node === null || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([key, value]): Text[] => {
    const at = `${where}.${key}`;
    if ((key === "description" || key === "summary") && typeof value === "string") {
      return [{ where: at, text: value }];
    }
    return texts(value, at);
  });
}

const METHODS = new Set(["get", "put", "post", "delete", "patch", "head", "options"]);

describe.each(testDatabases())("the OpenAPI document's texts ($name)", (database) => {
  let harness: ApiHarness;
  let doc: { paths: Record<string, Record<string, unknown>> };
  beforeAll(async () => {
    harness = await createHarness(database);
    doc = (await (await harness.request("GET", "/v2/openapi.json")).json()) as typeof doc;
  });
  afterAll(() => harness.close());

  it("refers to no .md file and no source file", () => {
    const all = texts(doc);
    expect(all.length).toBeGreaterThan(100);
    const offending = all.filter(({ text }) => /[\w-]+\.md\b|\blib\/[\w/.-]+|\.ts\b/.test(text));
    expect(offending).toEqual([]);
  });

  it("gives every operation a summary, its heading on /docs/api", () => {
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method]) => METHODS.has(method))
        .map(([method, op]) => ({
          at: `${method.toUpperCase()} ${path}`,
          op: op as { summary?: string },
        })),
    );
    expect(operations.length).toBeGreaterThan(60);
    expect(operations.filter(({ op }) => !op.summary?.trim()).map(({ at }) => at)).toEqual([]);
  });
});
