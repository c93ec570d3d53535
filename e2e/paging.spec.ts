import { expect, sessionToken, signedInAs, test, uniqueName } from "./fixtures";
import { KeyListPage } from "./pages/key-list";

signedInAs("member");

const TOTAL = 120;
const PAGE_SIZE = 25;

test("[member] Load more pages through 120 keys without duplicates, then disappears", async ({
  page,
  api,
}) => {
  const prefix = uniqueName("page").replace(" ", "-");
  const token = sessionToken("member");
  const names = Array.from({ length: TOTAL }, (_, i) => `${prefix}-${String(i).padStart(3, "0")}`);
  // Seed through the API, a few at a time.
  for (let i = 0; i < names.length; i += 10) {
    const batch = await Promise.all(
      names
        .slice(i, i + 10)
        .map((name) => api.call("POST", "/v2/api-keys", { token, body: { name, key_type: "user" } })),
    );
    expect(batch.map((r) => r.status)).toEqual(batch.map(() => 201));
  }

  const keys = new KeyListPage(page);
  await keys.goto(`?q=${encodeURIComponent(prefix)}`);
  const rows = keys.rowsContaining(prefix);
  await expect(rows).toHaveCount(PAGE_SIZE);

  for (let shown = PAGE_SIZE; shown < TOTAL;) {
    await keys.loadMoreButton.click();
    shown = Math.min(shown + PAGE_SIZE, TOTAL);
    await expect(rows).toHaveCount(shown);
  }
  await expect(keys.loadMoreButton).toHaveCount(0);

  const seen = (await rows.allInnerTexts()).map((text) => text.match(new RegExp(`${prefix}-\\d{3}`))?.[0]);
  expect(seen).toHaveLength(TOTAL);
  expect(new Set(seen).size).toBe(TOTAL);
  // Every seeded key, each exactly once.
  expect([...seen].sort()).toEqual(names);
});
