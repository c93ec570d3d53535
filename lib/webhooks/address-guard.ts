import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/**
 * Where a webhook may point (lifecycle.md §5, security.md): `https://` only unless
 * `KEYDESK_WEBHOOK_ALLOW_HTTP=1`; never an address in a loopback, private, link-local, shared or
 * metadata range unless `KEYDESK_WEBHOOK_ALLOW_PRIVATE=1`. Checked at create and update, and again
 * at every delivery on the addresses DNS gives then; the delivery connects to the address checked
 * (no second lookup a DNS server could answer differently).
 */
export interface WebhookNetworkPolicy {
  allowHttp: boolean;
  allowPrivate: boolean;
}

export const strictNetworkPolicy: WebhookNetworkPolicy = { allowHttp: false, allowPrivate: false };

export function networkPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookNetworkPolicy {
  return {
    allowHttp: env.KEYDESK_WEBHOOK_ALLOW_HTTP === "1",
    allowPrivate: env.KEYDESK_WEBHOOK_ALLOW_PRIVATE === "1",
  };
}

const refusedRanges = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT (and Alibaba's metadata, 100.100.100.200)
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local (and the clouds' metadata, 169.254.169.254)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and broadcast
] as const)
  refusedRanges.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["64:ff9b::", 96], // NAT64 (reaches IPv4 addresses, private ones included)
  ["64:ff9b:1::", 48],
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4 (embeds an IPv4 address)
  ["fc00::", 7], // unique local (and AWS's metadata, fd00:ec2::254)
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const)
  refusedRanges.addSubnet(network, prefix, "ipv6");

/** The IPv4 address inside an IPv4-mapped or -compatible IPv6 address (`::ffff:10.0.0.1`), if any. */
function embeddedIpv4(address: string): string | null {
  const dotted = /^::(?:ffff:(?:0:)?)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (dotted?.[1]) return dotted[1];
  const hex = /^::ffff:(?:0:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex?.[1] && hex[2]) {
    const high = parseInt(hex[1], 16);
    const low = parseInt(hex[2], 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return null;
}

/** Whether an IP address is one a webhook may never reach (without `allowPrivate`). Non-IPs: refused. */
export function isRefusedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return refusedRanges.check(address, "ipv4");
  if (family !== 6) return true;
  const v4 = embeddedIpv4(address);
  if (v4) return refusedRanges.check(v4, "ipv4");
  return refusedRanges.check(address, "ipv6");
}

/** Why a URL is refused; the message is safe to show (it names no secret). */
export class RefusedUrl extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RefusedUrl";
  }
}

/** The URL's shape: scheme, no credentials in it, a host. */
export function checkUrlShape(raw: string, policy: WebhookNetworkPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RefusedUrl("Enter a full URL, e.g. https://hooks.example.com/keydesk.");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && policy.allowHttp))
    throw new RefusedUrl(
      policy.allowHttp ? "The URL must start with https:// or http://." : "The URL must start with https://.",
    );
  if (url.username || url.password)
    throw new RefusedUrl("Put credentials in the webhook's authentication, not in its URL.");
  if (!url.hostname) throw new RefusedUrl("The URL has no host.");
  return url;
}

export interface ResolvedTarget {
  address: string;
  family: 4 | 6;
}

export type Resolver = (hostname: string) => Promise<ResolvedTarget[]>;

const dnsResolver: Resolver = async (hostname) => {
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/**
 * The address a delivery to `url` connects to: the host itself when it is an IP address, else what
 * DNS says now. Every address DNS gives must be allowed (a name that also points inside is refused).
 */
export async function resolveTarget(
  url: URL,
  policy: WebhookNetworkPolicy,
  resolve: Resolver = dnsResolver,
): Promise<ResolvedTarget> {
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const literal = isIP(host);
  let addresses: ResolvedTarget[];
  if (literal) {
    addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new RefusedUrl(`The host ${host} could not be resolved.`);
    }
  }
  const first = addresses[0];
  if (!first) throw new RefusedUrl(`The host ${host} could not be resolved.`);
  if (!policy.allowPrivate) {
    const inside = addresses.find((a) => isRefusedAddress(a.address));
    if (inside)
      throw new RefusedUrl(
        `${host} is a loopback, private, link-local or metadata address (${inside.address}); webhooks cannot reach it.`,
      );
  }
  return first;
}
