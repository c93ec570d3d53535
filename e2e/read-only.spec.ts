import { expect, redacted, signedInAs, test, uniqueName } from "./fixtures";

// Riley: read-only in Platform, Production and Staging.
signedInAs("readOnly");

test("[read-only] sees a disabled New API Key button with the reason on the Service Keys tab", async ({
  apiKeysPage,
}) => {
  await apiKeysPage.goto();
  await expect(apiKeysPage.newKeyButton).toBeEnabled();
  await apiKeysPage.openTab("Service Keys");
  for (const space of ["Production", "Staging"]) {
    await apiKeysPage.selectSpace(space);
    await expect(apiKeysPage.newKeyButton).toBeDisabled();
    // The reason is a tooltip on hover and focus (components/ui/disabled-reason.tsx), not a caption.
    await apiKeysPage.newKeyButton.hover();
    await expect(
      apiKeysPage.page.getByRole("tooltip", { name: "Read-only members can't create service keys" }),
    ).toBeVisible();
    await expect(apiKeysPage.newKeyButton).toHaveAccessibleDescription(
      "Read-only members can't create service keys",
    );
  }
});

test("[read-only] can still create a user key on the User Keys tab, end to end", async ({
  apiKeysPage,
  api,
}) => {
  await apiKeysPage.goto();
  await apiKeysPage.openNewKeyDialog();
  // No space where Riley may create: the Service Key choice is off.
  await expect(apiKeysPage.newKeyDialog.getByRole("radio", { name: "Service Key" })).toBeDisabled();
  await apiKeysPage.newKeyDialog.getByRole("button", { name: "Cancel" }).click();
  await expect(apiKeysPage.newKeyDialog).toBeHidden();

  const name = uniqueName("riley");
  const key = await apiKeysPage.createUserKey({ name });
  await apiKeysPage.copyAndClose();
  await expect(apiKeysPage.row(name).getByRole("cell", { name: redacted(key), exact: true })).toBeVisible();
  // Riley may manage her own user key.
  await expect(apiKeysPage.page.getByRole("button", { name: `Actions for ${name}` })).toBeVisible();

  const me = await api.call("GET", "/v2/me", { token: key });
  expect(me.status).toBe(200);
  expect(me.body.user).toMatchObject({ name: "Riley Reader" });
  expect(me.body.credential).toMatchObject({ type: "user_key" });
});

test("[read-only] sees a Production service key but no Refresh or Revoke for it", async ({
  apiKeysPage,
  api,
}) => {
  const name = uniqueName("seeded");
  await api.createKey("admin", {
    name,
    key_type: "service",
    space_id: await api.spaceId("admin", "Production"),
  });

  await apiKeysPage.goto();
  await apiKeysPage.openTab("Service Keys");
  await apiKeysPage.selectSpace("Production");
  const row = apiKeysPage.row(name);
  await expect(row).toBeVisible();
  await expect(row.getByRole("cell", { name: "Ada Admin", exact: true })).toBeVisible();
  await expect(row.getByRole("button")).toHaveCount(0);
  await expect(apiKeysPage.page.getByRole("button", { name: `Actions for ${name}` })).toHaveCount(0);
  await expect(apiKeysPage.page.getByRole("menuitem", { name: "Revoke" })).toHaveCount(0);
});
