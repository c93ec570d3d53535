import { describe, expect, it } from "vitest";
import { lazyComponent } from "./lazy-component";

const Dialog = () => null;

describe("lazyComponent", () => {
  it("downloads once however often it is preloaded", async () => {
    let downloads = 0;
    const dialog = lazyComponent(async () => {
      downloads++;
      return Dialog;
    });
    expect(downloads).toBe(0);
    const [a, b] = await Promise.all([dialog.preload(), dialog.preload()]);
    await dialog.preload();
    expect(a).toBe(Dialog);
    expect(b).toBe(Dialog);
    expect(downloads).toBe(1);
  });

  it("tries again after a failed download", async () => {
    let downloads = 0;
    const dialog = lazyComponent(async () => {
      downloads++;
      if (downloads === 1) throw new Error("offline");
      return Dialog;
    });
    await expect(dialog.preload()).rejects.toThrow("offline");
    await expect(dialog.preload()).resolves.toBe(Dialog);
    expect(downloads).toBe(2);
  });
});
