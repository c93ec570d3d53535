import { expect, sessionToken, signedInAs, test, uniqueName } from "./fixtures";
import { KeyListPage } from "./pages/key-list";

const DAY = 86_400_000;

test.describe("as Ada", () => {
  signedInAs("admin");

  test("[admin] Refresh preselects the key's current expiry, says when a choice extends it, and keeps it", async ({
    page,
    api,
  }) => {
    const keys = new KeyListPage(page);
    const name = uniqueName("keep expiry");
    const expiresAt = new Date(Date.now() + 40 * DAY).toISOString();
    await api.createKey("admin", { name, key_type: "user", expires_at: expiresAt });

    await keys.goto(`?q=${encodeURIComponent(name)}`);
    await keys.openRowActions(name);
    await page.getByRole("menuitem", { name: "Refresh" }).click();
    const dialog = page.getByRole("dialog", { name: "Refresh API Key" });
    const expiration = dialog.getByLabel("Expiration", { exact: true });
    await expect(expiration).toHaveValue("keep");
    await expect(expiration.locator("option:checked")).toHaveText(
      /^Keep current expiry: \w{3} \d{1,2}, \d{4}$/,
    );
    await expect(expiration).not.toHaveAccessibleDescription(/extends/);

    await expiration.selectOption({ label: "90 days" });
    await expect(expiration).toHaveAccessibleDescription(/^This extends the key to /);
    await expiration.selectOption({ label: "Never" });
    await expect(expiration).toHaveAccessibleDescription(/^This extends the key: it will never expire/);
    await expiration.selectOption({ label: "30 days" });
    await expect(expiration).toHaveAccessibleDescription(/^This shortens the key's life/);
    await expiration.selectOption({ value: "keep" });
    await expect(dialog.getByText(/This (extends|shortens)/)).toHaveCount(0);

    await dialog.getByRole("button", { name: "Refresh Key" }).click();
    await expect(keys.revealDialog).toBeVisible();
    await keys.copyAndClose();
    const listed = await api.call("GET", `/v2/api-keys?name=${encodeURIComponent(name)}`, {
      token: sessionToken("admin"),
    });
    const [key] = listed.body.api_keys as { expires_at?: string }[];
    expect(key?.expires_at).toBe(expiresAt);
  });

  test("[admin] a key in its grace period says so, on the User Keys and the Service Keys tab", async ({
    page,
    api,
  }) => {
    const keys = new KeyListPage(page);
    const token = sessionToken("admin");
    const userKey = await api.createKey("admin", { name: uniqueName("grace user"), key_type: "user" });
    const serviceKey = await api.createKey("admin", {
      name: uniqueName("grace service"),
      key_type: "service",
      space_id: await api.spaceId("admin", "Staging"),
    });
    for (const { id } of [userKey, serviceKey]) {
      const res = await api.call("POST", `/v2/api-keys/${encodeURIComponent(id)}/refresh`, {
        token,
        body: { grace_period_seconds: 3600 },
      });
      expect(res.status).toBe(200);
    }

    await keys.goto(`?q=${encodeURIComponent(userKey.name)}`);
    await expect(keys.row(userKey.name)).toContainText(
      /Previous secret expires (\w{3} \d{1,2}, )?\d{1,2}:\d{2} [AP]M/,
    );
    await keys.goto(`?tab=service&q=${encodeURIComponent(serviceKey.name)}`);
    await expect(keys.row(serviceKey.name)).toContainText(
      /Previous secret expires (\w{3} \d{1,2}, )?\d{1,2}:\d{2} [AP]M/,
    );
  });

  test("[admin] one toast at a time per action: a second key's toast replaces the first", async ({
    apiKeysPage,
    page,
  }) => {
    await apiKeysPage.goto();
    const first = uniqueName("toast one");
    const second = uniqueName("toast two");
    await apiKeysPage.createUserKey({ name: first });
    await apiKeysPage.copyAndClose();
    const toasts = page.getByRole("status").getByText(/^Key “.*” is ready\.$/);
    await expect(toasts).toHaveText([`Key “${first}” is ready.`]);
    await apiKeysPage.createUserKey({ name: second });
    await apiKeysPage.copyAndClose();
    await expect(toasts).toHaveText([`Key “${second}” is ready.`]);
  });
});

test.describe("as Max", () => {
  signedInAs("member");

  test("[member] Status filters All, Active, Expired and Revoked", async ({ page, api }) => {
    const keys = new KeyListPage(page);
    const token = sessionToken("member");
    const tag = uniqueName("status");
    const live = `${tag} live`;
    const expired = `${tag} expired`;
    const revoked = `${tag} revoked`;
    await api.createKey("member", { name: live, key_type: "user" });
    await api.createKey("member", {
      name: expired,
      key_type: "user",
      expires_at: new Date(Date.now() + 1500).toISOString(),
    });
    const gone = await api.createKey("member", { name: revoked, key_type: "user" });
    expect(
      (await api.call("PUT", `/v2/api-keys/${encodeURIComponent(gone.id)}/revoke`, { token })).status,
    ).toBe(204);
    // Until the short-lived key has expired (the server's clock decides).
    await expect
      .poll(() => api.keyNames("member", { status: "expired", name: tag }), { timeout: 15_000 })
      .toEqual([expired]);

    await keys.goto(`?q=${encodeURIComponent(tag)}`);
    await expect(keys.statusFilter.locator("option")).toHaveText(["All", "Active", "Expired", "Revoked"]);
    await expect(keys.statusFilter).toHaveValue("active");
    await expect(keys.row(live)).toBeVisible();
    await expect(keys.row(revoked)).toHaveCount(0);

    await keys.filterStatus("Expired");
    await expect(keys.row(expired)).toContainText("Expired");
    await expect(keys.row(live)).toHaveCount(0);
    await expect(keys.row(revoked)).toHaveCount(0);

    await keys.filterStatus("Revoked");
    await expect(keys.row(revoked)).toContainText("Revoked");
    await expect(keys.row(live)).toHaveCount(0);

    await keys.filterStatus("All");
    for (const name of [live, expired, revoked]) await expect(keys.row(name)).toBeVisible();
    await page.reload();
    await expect(keys.statusFilter).toHaveValue("all");
    for (const name of [live, expired, revoked]) await expect(keys.row(name)).toBeVisible();
  });

  test("[member] All spaces lists the service keys of every space Max can see, with the space as a column", async ({
    page,
    api,
  }) => {
    const keys = new KeyListPage(page);
    const tag = uniqueName("spaces");
    const inStaging = `${tag} staging`;
    const inExperiments = `${tag} experiments`;
    await api.createKey("member", {
      name: inStaging,
      key_type: "service",
      space_id: await api.spaceId("member", "Staging"),
    });
    await api.createKey("admin", {
      name: inExperiments,
      key_type: "service",
      space_id: await api.spaceId("admin", "Experiments"),
    });

    await keys.goto(`?tab=service&q=${encodeURIComponent(tag)}`);
    await expect(keys.spaceFilter.locator("option:checked")).toHaveText("All spaces");
    await expect(page.getByRole("columnheader", { name: "Space", exact: true })).toBeVisible();
    await expect(keys.row(inStaging).getByRole("cell", { name: "Staging", exact: true })).toBeVisible();
    await expect(
      keys.row(inExperiments).getByRole("cell", { name: "Experiments", exact: true }),
    ).toBeVisible();
    // Max may create in some space, so New API Key stays enabled across all spaces.
    await expect(keys.newKeyButton).toBeEnabled();

    await keys.selectSpace("Staging");
    await expect(keys.row(inStaging)).toBeVisible();
    await expect(keys.row(inExperiments)).toHaveCount(0);
    await expect(page.getByRole("columnheader", { name: "Space", exact: true })).toHaveCount(0);
    await keys.selectSpace("Experiments");
    await expect(keys.newKeyButton).toBeDisabled();
    await expect(keys.newKeyButton).toHaveAccessibleDescription(
      "Read-only members can't create service keys",
    );
  });
});
