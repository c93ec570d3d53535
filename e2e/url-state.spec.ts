import type { Page } from "@playwright/test";
import { expect, sessionToken, signedInAs, test, uniqueName } from "./fixtures";
import { KeyListPage } from "./pages/key-list";

signedInAs("member");

interface ViewState {
  tab: "User Keys" | "Service Keys";
  space?: string;
  status: "active" | "revoked";
  q: string;
}

async function expectViewState(keys: KeyListPage, state: ViewState) {
  await expect(keys.tab(state.tab)).toHaveAttribute("aria-selected", "true");
  if (state.space) await expect(keys.spaceFilter).toHaveValue(state.space);
  await expect(keys.statusFilter).toHaveValue(state.status);
  await expect(keys.searchBox).toHaveValue(state.q);
  await expect(keys.page).toHaveURL((url) => {
    const p = url.searchParams;
    return (
      (p.get("tab") ?? "user") === (state.tab === "Service Keys" ? "service" : "user") &&
      (p.get("status") ?? "active") === state.status &&
      (p.get("q") ?? "") === state.q
    );
  });
}

/** Makes every server action POST from the page fail at the network level, until the returned undo. */
async function failServerActions(page: Page): Promise<() => Promise<void>> {
  const matcher = (url: URL) => url.pathname === "/settings/api-keys";
  await page.route(matcher, async (route) => {
    const request = route.request();
    if (request.method() === "POST" && (await request.headerValue("next-action"))) return route.abort();
    return route.fallback();
  });
  return () => page.unroute(matcher);
}

test("[member] tab, space, status and search live in the URL: reload and back/forward restore them", async ({
  page,
  api,
}) => {
  const token = sessionToken("member");
  const name = uniqueName("url-state");
  const staging = await api.spaceId("member", "Staging");
  const created = await api.call("POST", "/v2/api-keys", {
    token,
    body: { name, key_type: "service", space_id: staging },
  });
  expect(created.status).toBe(201);
  expect((await api.call("PUT", `/v2/api-keys/${created.body.id}/revoke`, { token })).status).toBe(204);

  const keys = new KeyListPage(page);
  await keys.goto();
  await expectViewState(keys, { tab: "User Keys", status: "active", q: "" });
  await keys.openTab("Service Keys");
  const firstSpace = await keys.spaceFilter.locator("option").first().getAttribute("value");
  expect(firstSpace).not.toBe(staging);
  await keys.selectSpace("Staging");
  await keys.filterStatus("Revoked");
  await keys.search(name);

  const full: ViewState = { tab: "Service Keys", space: staging, status: "revoked", q: name };
  await expectViewState(keys, full);
  await expect(keys.row(name)).toContainText("Revoked");

  await page.reload();
  await expectViewState(keys, full);
  await expect(keys.row(name)).toContainText("Revoked");

  // The search replaces its history entry; the other choices each pushed one.
  await page.goBack();
  await expectViewState(keys, { tab: "Service Keys", space: staging, status: "active", q: "" });
  await expect(keys.table.or(keys.emptyState)).toBeVisible();
  await expect(keys.row(name)).toHaveCount(0);
  await page.goBack();
  await expectViewState(keys, {
    tab: "Service Keys",
    space: firstSpace ?? undefined,
    status: "active",
    q: "",
  });
  await page.goBack();
  await expectViewState(keys, { tab: "User Keys", status: "active", q: "" });

  await page.goForward();
  await page.goForward();
  await page.goForward();
  await expectViewState(keys, full);
  await expect(keys.row(name)).toContainText("Revoked");
});

test("[member] a search that matches nothing shows the empty state, not an error", async ({ page, api }) => {
  const keys = new KeyListPage(page);
  // Max has a key, so the list is filtered, not empty: "No keys match" (with none at all: "No API keys yet").
  await api.createKey("member", { name: uniqueName("url-state match"), key_type: "user" });
  await keys.goto();
  await keys.search(uniqueName("no-such-key"));
  await expect(keys.page.getByText("No keys match")).toBeVisible();
  await expect(keys.page.getByText("Try another search or status.")).toBeVisible();
  await expect(keys.table).toHaveCount(0);
  await expect(keys.loadError).toHaveCount(0);
});

test("[member] a failed list load shows the error and Retry, never an empty list", async ({ page, api }) => {
  const name = uniqueName("retry");
  const created = await api.call("POST", "/v2/api-keys", {
    token: sessionToken("member"),
    body: { name, key_type: "user" },
  });
  expect(created.status).toBe(201);

  // The first page comes with the HTML; every later list comes from the list action.
  const keys = new KeyListPage(page);
  await keys.goto("?status=revoked");
  await expect(keys.table.or(keys.emptyState)).toBeVisible();
  const restore = await failServerActions(page);
  // From here on, remember whether an empty state ever appears, however briefly.
  await page.evaluate(() => {
    const flags = window as Window & { watching?: boolean; sawEmptyList?: boolean };
    flags.watching = true;
    new MutationObserver(() => {
      if (/No API keys yet|No keys match/.test(document.body.textContent ?? "")) flags.sawEmptyList = true;
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });

  await keys.filterStatus("Active");
  await expect(keys.loadError).toBeVisible({ timeout: 20_000 });
  await expect(keys.retryButton).toBeVisible();
  await expect(keys.table).toHaveCount(0);
  await expect(keys.emptyState).toHaveCount(0);

  // Still failing: Retry keeps the error.
  await keys.retryButton.click();
  await expect(keys.retryButton).toBeEnabled();
  await expect(keys.loadError).toBeVisible({ timeout: 20_000 });
  await expect(keys.emptyState).toHaveCount(0);

  await restore();
  await keys.retryButton.click();
  await expect(keys.table).toBeVisible();
  await expect(keys.loadError).toHaveCount(0);
  await keys.search(name);
  await expect(keys.row(name)).toBeVisible();
  const flags = await page.evaluate(() => {
    const w = window as Window & { watching?: boolean; sawEmptyList?: boolean };
    return { watching: w.watching === true, sawEmptyList: w.sawEmptyList === true };
  });
  expect(flags).toEqual({ watching: true, sawEmptyList: false });
});
