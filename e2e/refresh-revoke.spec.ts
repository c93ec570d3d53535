import { expect, sessionToken, signedInAs, test, uniqueName } from "./fixtures";
import { KeyListPage, redacted } from "./pages/key-list";

signedInAs("admin");

test("[admin] refreshes with a 1-hour grace, then revokes: keys and table follow without a reload", async ({
  page,
  api,
}) => {
  const keys = new KeyListPage(page);
  const name = uniqueName("rotate");
  const created = await api.call("POST", "/v2/api-keys", {
    token: sessionToken("admin"),
    body: { name, key_type: "user" },
  });
  expect(created.status).toBe(201);
  const oldKey = String(created.body.key);

  // Every document load counts; the client-side updates after refresh and revoke must add none.
  let documentLoads = 0;
  page.on("domcontentloaded", () => documentLoads++);
  await keys.goto(`?q=${encodeURIComponent(name)}`);
  await expect(keys.row(name)).toContainText(redacted(oldKey));

  const newKey = await keys.refreshKey(name, { grace: "1 hour" });
  expect(newKey).not.toBe(oldKey);
  await keys.copyAndClose();
  // The row already shows the new secret's redacted form.
  await expect(keys.row(name)).toContainText(redacted(newKey));
  await expect(keys.row(name)).not.toContainText(redacted(oldKey));
  expect(await api.meStatus(oldKey)).toBe(200);
  expect(await api.meStatus(newKey)).toBe(200);

  await keys.openRevokeDialog(name);
  await expect(keys.revokeDialog).toContainText(`“${name}”`);
  await expect(keys.revokeDialog).toContainText(/stops working immediately/);
  await expect(keys.revokeDialog).toContainText(/Last used:/);
  await keys.confirmRevoke();

  expect(await api.meStatus(oldKey)).toBe(401);
  expect(await api.meStatus(newKey)).toBe(401);
  await expect(keys.row(name)).toHaveCount(0);
  await keys.filterStatus("Revoked");
  await expect(keys.row(name)).toContainText("Revoked");
  await expect(keys.page.getByRole("button", { name: `Actions for ${name}` })).toHaveCount(0);
  await keys.filterStatus("Active");
  await expect(keys.row(name)).toHaveCount(0);
  expect(documentLoads).toBe(1);
});
