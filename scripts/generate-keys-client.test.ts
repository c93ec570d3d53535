import { expect, test } from "vitest";
import { committedClientTypes, generateClientTypes } from "./generate-keys-client";

test("the dashboard's keys-client types match the API's OpenAPI document (run `npm run generate:client`)", async () => {
  expect(committedClientTypes()).toBe(await generateClientTypes());
});
