import { expect, signedInAs, test, uniqueName } from "./fixtures";

// Max: account member; Platform member; Production member; Staging admin.
signedInAs("member");

test("[member] in Staging may grant Space Role Admin, but org and account roles are capped with the reason shown", async ({
  apiKeysPage,
}) => {
  await apiKeysPage.goto();
  await apiKeysPage.fillServiceKey({ space: "Staging", advanced: true });

  await expect(apiKeysPage.roleOption("Space Role", "Admin")).toBeEnabled();
  await apiKeysPage.roleSelect("Space Role").selectOption({ label: "Admin" });
  await expect(apiKeysPage.roleSelect("Space Role")).toHaveValue("admin");
  await expect(apiKeysPage.roleSelect("Space Role")).not.toHaveAccessibleDescription(/Limited/);

  await expect(apiKeysPage.roleOption("Org Role", "Admin")).toBeDisabled();
  await expect(apiKeysPage.roleOption("Org Role", "Member")).toBeEnabled();
  await expect(apiKeysPage.newKeyDialog.getByText("Limited to your role in Platform: Member")).toBeVisible();
  await expect(apiKeysPage.roleSelect("Org Role")).toHaveAccessibleDescription(
    "Limited to your role in Platform: Member",
  );

  await expect(apiKeysPage.roleOption("Account Role", "Admin")).toBeDisabled();
  await expect(apiKeysPage.newKeyDialog.getByText("Limited to your account role: Member")).toBeVisible();
  await expect(apiKeysPage.roleSelect("Account Role")).toHaveAccessibleDescription(
    "Limited to your account role: Member",
  );
});

test("[member] in Production cannot pick Space Role Admin and sees why", async ({ apiKeysPage }) => {
  await apiKeysPage.goto();
  await apiKeysPage.fillServiceKey({ space: "Production" });

  await expect(apiKeysPage.roleOption("Space Role", "Admin")).toBeDisabled();
  await expect(apiKeysPage.roleOption("Space Role", "Member")).toBeEnabled();
  await expect(apiKeysPage.roleSelect("Space Role")).toHaveValue("member");
  await expect(
    apiKeysPage.newKeyDialog.getByText("Limited to your role in Production: Member"),
  ).toBeVisible();
  await expect(apiKeysPage.roleSelect("Space Role")).toHaveAccessibleDescription(
    "Limited to your role in Production: Member",
  );
});

test("[member] a hand-edited create request asking for Space Role Admin in Production is refused", async ({
  apiKeysPage,
  api,
  page,
}) => {
  await apiKeysPage.goto();
  const name = uniqueName("escalation");
  await apiKeysPage.fillServiceKey({ name, space: "Production", spaceRole: "Member" });

  // The server action's POST carries its argument list as JSON text; ask for more than the UI allows.
  let rewritten = 0;
  await page.route(
    (url) => url.pathname === "/settings/api-keys",
    async (route) => {
      const request = route.request();
      const body = request.postData() ?? "";
      if (request.method() !== "POST" || !request.headers()["next-action"] || !body.includes(name)) {
        return route.continue();
      }
      const tampered = body.replace('"space_role":"member"', '"space_role":"admin"');
      expect(tampered).not.toBe(body);
      rewritten += 1;
      return route.continue({ postData: tampered });
    },
  );
  await apiKeysPage.createKeyButton.click();

  // The UI shows the refusal on the field it concerns, and no key is revealed.
  await expect(apiKeysPage.roleSelect("Space Role")).toHaveAttribute("aria-invalid", "true");
  await expect(apiKeysPage.roleSelect("Space Role")).toHaveAccessibleDescription(
    "Limited to your role in Production: Member",
  );
  await expect(apiKeysPage.createKeyButton).toBeEnabled();
  expect(rewritten).toBe(1);
  await expect(apiKeysPage.revealDialog).toHaveCount(0);
  await expect(apiKeysPage.newKeyDialog).toBeVisible();

  // Nothing was created: Production's service keys, as Max sees them, have no key by that name.
  const production = await api.spaceId("member", "Production");
  expect(await api.keyNames("member", { space_id: production, name })).toEqual([]);
  expect(await api.keyNames("member", { space_id: production, name, status: "revoked" })).toEqual([]);
});
