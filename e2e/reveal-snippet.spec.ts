import { expect, signedInAs, test, uniqueName } from "./fixtures";

// Issue 16, item 4: the reveal dialog's snippet must point each of Arize's client families at this
// server (the origin the browser uses here, no PUBLIC_URL set), never leave them on Arize's cloud.
signedInAs("admin");

test("[admin] the reveal dialog's snippet points every client family at this server, with its own Copy", async ({
  apiKeysPage,
  page,
  context,
  baseURL,
}) => {
  if (!baseURL) throw new Error("no baseURL");
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  const origin = new URL(baseURL);
  const host = origin.host; // localhost:<E2E port>
  const scheme = origin.protocol.replace(":", "");

  await apiKeysPage.goto();
  const key = await apiKeysPage.createUserKey({ name: uniqueName("snippet key") });
  const reveal = apiKeysPage.revealDialog;
  await expect(
    reveal.getByText(
      "Arize's clients send keys to Arize's cloud unless told otherwise; these settings point them at this server.",
    ),
  ).toBeVisible();

  const clients = reveal.getByRole("tablist", { name: "Client" });
  const expected: Record<string, string[]> = {
    TypeScript: [`export ARIZE_API_KEY=${key}`, `export ARIZE_BASE_URL=${origin.origin}`],
    Python: [
      `export ARIZE_API_KEY=${key}`,
      `export ARIZE_API_HOST=${host}`,
      `export ARIZE_API_SCHEME=${scheme}`,
    ],
    Go: [`export ARIZE_API_KEY=${key}`, `export ARIZE_API_HOST=${host}`, `export ARIZE_API_SCHEME=${scheme}`],
    "ax CLI": [
      `export ARIZE_API_KEY=${key}`,
      'api_key = "${ARIZE_API_KEY}"',
      `api_host = "${host}"`,
      `api_scheme = "${scheme}"`,
      "ax profiles create keydesk --from-file keydesk.toml",
    ],
  };
  await expect(clients.getByRole("tab")).toHaveText(Object.keys(expected));

  for (const [family, lines] of Object.entries(expected)) {
    const tab = clients.getByRole("tab", { name: family, exact: true });
    await tab.click();
    await expect(tab).toHaveAttribute("aria-selected", "true");
    const panel = reveal.getByRole("tabpanel", { name: family, exact: true });
    const snippet = panel.locator("pre");
    await expect(snippet).toBeVisible();
    const text = await snippet.innerText();
    for (const line of lines) expect(text, `${family} snippet`).toContain(line);
    expect(text, `${family} snippet`).toContain(host);
    expect(text, `${family} snippet names an Arize cloud host`).not.toMatch(/arize\.com/i);

    // Its own Copy puts exactly the snippet on the clipboard.
    await panel.getByRole("button", { name: "Copy snippet" }).click();
    await expect(panel.getByRole("button", { name: "Snippet copied" })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);
  }

  // The tabs work from the keyboard: arrows move between families, and Home/End to the ends.
  const first = clients.getByRole("tab", { name: "TypeScript" });
  await first.click();
  await expect(first).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(clients.getByRole("tab", { name: "Python" })).toBeFocused();
  await expect(clients.getByRole("tab", { name: "Python" })).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("End");
  await expect(clients.getByRole("tab", { name: "ax CLI" })).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("ArrowRight");
  await expect(first).toHaveAttribute("aria-selected", "true");
  await expect(first).toBeFocused();

  // The snippet's copy counts as copying the key: Done closes without asking.
  await reveal.getByRole("button", { name: "Done" }).click();
  await expect(reveal).toBeHidden();
});
