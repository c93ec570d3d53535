import { describe, expect, it } from "vitest";
import { startReceiver } from "../testing/webhook-receiver";
import {
  checkUrlShape,
  isRefusedAddress,
  RefusedUrl,
  resolveTarget,
  strictNetworkPolicy,
} from "./address-guard";
import { sendEvent } from "./send";

describe("where a webhook may point (SSRF guard)", () => {
  it("refuses loopback, private, link-local, metadata and mapped forms of them; allows public addresses", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.100.100.200",
      "0.0.0.0",
      "::1",
      "::",
      "fe80::1",
      "fd00:ec2::254",
      "::ffff:127.0.0.1",
      "::ffff:a9fe:a9fe",
      "64:ff9b::a9fe:a9fe",
      "not-an-ip",
    ])
      expect(isRefusedAddress(address), address).toBe(true);
    for (const address of ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
      expect(isRefusedAddress(address), address).toBe(false);
  });

  it("wants https:// (http:// only when allowed) and no credentials in the URL", () => {
    expect(() => checkUrlShape("http://hooks.example.com/", strictNetworkPolicy)).toThrow(RefusedUrl);
    expect(() => checkUrlShape("ftp://hooks.example.com/", { allowHttp: true, allowPrivate: false })).toThrow(
      RefusedUrl,
    );
    expect(() => checkUrlShape("https://user:pw@hooks.example.com/", strictNetworkPolicy)).toThrow(
      /credentials/,
    );
    expect(checkUrlShape("http://hooks.example.com/", { allowHttp: true, allowPrivate: false }).host).toBe(
      "hooks.example.com",
    );
  });

  it("refuses a name whose DNS answer includes an inside address, and says which", async () => {
    const resolve = () =>
      Promise.resolve([
        { address: "93.184.215.14", family: 4 as const },
        { address: "10.0.0.5", family: 4 as const },
      ]);
    await expect(
      resolveTarget(new URL("https://mixed.example/"), strictNetworkPolicy, resolve),
    ).rejects.toThrow(/10\.0\.0\.5/);
    await expect(
      resolveTarget(new URL("https://[::ffff:169.254.169.254]/"), strictNetworkPolicy),
    ).rejects.toThrow(RefusedUrl);
  });

  it("at delivery, refuses an address DNS now points inside, and never connects", async () => {
    const receiver = await startReceiver();
    try {
      const port = new URL(receiver.url).port;
      const target = {
        url: `http://rebound.example:${port}/hook`,
        authType: "BEARER",
        authToken: null,
        signingSecret: null,
        timeoutMs: 2000,
        headers: {},
      };
      const toLoopback = () => Promise.resolve([{ address: "127.0.0.1", family: 4 as const }]);
      const event = { id: "evt", type: "WEBHOOK_TEST", body: "{}" };
      const refused = await sendEvent(
        target,
        event,
        { allowHttp: true, allowPrivate: false },
        toLoopback,
        () => new Date(),
      );
      expect(refused).toMatchObject({
        statusCode: null,
        errorMessage: expect.stringMatching(/127\.0\.0\.1/),
      });
      expect(receiver.received).toHaveLength(0);

      // Allowed, the connection goes to the address that was checked — no second lookup of a name
      // the system's DNS does not even know — and the Host header still names the URL's host.
      const sent = await sendEvent(
        target,
        event,
        { allowHttp: true, allowPrivate: true },
        toLoopback,
        () => new Date(),
      );
      expect(sent).toMatchObject({ statusCode: 200, errorMessage: null });
      expect(receiver.received[0]?.headers.host).toBe(`rebound.example:${port}`);
    } finally {
      await receiver.close();
    }
  });

  it("follows no redirect: a 302 is a failed attempt", async () => {
    const receiver = await startReceiver([302]);
    try {
      const outcome = await sendEvent(
        {
          url: receiver.url,
          authType: "BEARER",
          authToken: null,
          signingSecret: null,
          timeoutMs: 2000,
          headers: {},
        },
        { id: "evt", type: "WEBHOOK_TEST", body: "{}" },
        { allowHttp: true, allowPrivate: true },
        undefined,
        () => new Date(),
      );
      expect(outcome).toMatchObject({ statusCode: 302, errorMessage: expect.stringMatching(/redirect/) });
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});
