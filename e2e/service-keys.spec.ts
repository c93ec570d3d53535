import { expect, redacted, signedInAs, test, uniqueName } from "./fixtures";

signedInAs("admin");

test("[admin] creates a Production service key with Admin space and org roles; the row shows its roles and creator", async ({
  apiKeysPage,
  api,
}) => {
  await apiKeysPage.goto();
  await apiKeysPage.openTab("Service Keys");
  await apiKeysPage.selectSpace("Production");

  const name = uniqueName("pipeline");
  const key = await apiKeysPage.createServiceKey({
    name,
    space: "Production",
    spaceRole: "Admin",
    orgRole: "Admin",
  });
  await apiKeysPage.copyAndClose();

  // Without a reload, the table on the Service Keys tab (Production) shows the new key.
  await expect(apiKeysPage.tab("Service Keys")).toHaveAttribute("aria-selected", "true");
  const row = apiKeysPage.row(name);
  await expect(row.getByRole("listitem")).toHaveText(["Space: Admin", "Org: Admin", "Account: Member"]);
  await expect(row.getByRole("cell", { name: "Ada Admin", exact: true })).toBeVisible();
  await expect(row.getByRole("cell", { name: redacted(key), exact: true })).toBeVisible();

  // The key acts as a bot holding exactly those roles.
  const me = await api.call("GET", "/v2/me", { token: key });
  expect(me.status).toBe(200);
  expect(me.body.credential).toMatchObject({ type: "service_key" });
  expect(me.body.account_role).toBe("member");
  const platform = (
    me.body.organizations as { name: string; role: string; spaces: { name: string; role: string }[] }[]
  ).find((o) => o.name === "Platform");
  expect(platform?.role).toBe("admin");
  expect(platform?.spaces.find((s) => s.name === "Production")?.role).toBe("admin");
});
