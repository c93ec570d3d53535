import { expect, signedInAs, test, uniqueName } from "./fixtures";

signedInAs("admin");

test("[admin] creates a user key, sees only its redacted form, and the key authenticates", async ({
  apiKeysPage,
  api,
  page,
}) => {
  await apiKeysPage.goto();
  const name = uniqueName("smoke");
  const key = await apiKeysPage.createUserKey({ name });
  await apiKeysPage.copyAndClose();
  await expect(apiKeysPage.row(name)).toBeVisible();
  await expect(apiKeysPage.row(name)).toContainText(`${key.slice(0, 6)}...${key.slice(-3)}`);
  await expect(page.getByText(key)).toHaveCount(0);
  expect(await api.meStatus(key)).toBe(200);
});
