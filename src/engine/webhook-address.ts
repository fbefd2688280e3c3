/**
 * Where a webhook may connect: the guard against server-side request forgery. A webhook URL
 * naming (or resolving to) a loopback, private, link-local, unique-local, unspecified or otherwise
 * non-public address would let whoever sets it make Laurel's host call its own network. The check
 * runs at send time on every address the host resolves to, and the connection then goes to the
 * address checked, so a DNS answer that changes between check and connect (rebinding) is not used.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** The address was refused; the message says which and why. */
export class RefusedAddress extends Error {}

const RANGES: readonly (readonly [string, number, 'ipv4' | 'ipv6', string])[] = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified ("this network")'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'reserved (IETF protocol assignments)'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'reserved (benchmarking)'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['fc00::', 7, 'ipv6', 'unique-local'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fec0::', 10, 'ipv6', 'site-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
  ['100::', 64, 'ipv6', 'discard-only'],
];

const BLOCKS = RANGES.map(([network, prefix, type, why]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, type);
  return { list, type, why };
});

/** Why `address` (an IP address) is not a public one, or null if it is. */
export function nonPublicReason(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  if (family === 6) {
    const groups = ipv6Groups(address);
    const embedded = embeddedIpv4(groups);
    if (embedded) return nonPublicReason(embedded);
    const text = groups.map((g) => g.toString(16)).join(':');
    for (const block of BLOCKS) if (block.type === 'ipv6' && block.list.check(text, 'ipv6')) return block.why;
    return null;
  }
  for (const block of BLOCKS) if (block.type === 'ipv4' && block.list.check(address, 'ipv4')) return block.why;
  return null;
}

/**
 * The address to connect to for `hostname` (a URL's hostname: a name, an IPv4 address or a
 * bracketed IPv6 one). Unless `allowPrivate`, every address the name resolves to must be public:
 * one that is not refuses the whole host.
 */
export async function resolveWebhookHost(hostname: string, allowPrivate: boolean): Promise<ResolvedAddress> {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  const literal = isIP(host);
  const addresses: ResolvedAddress[] =
    literal !== 0
      ? [{ address: host, family: literal as 4 | 6 }]
      : (await lookup(host, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
  const first = addresses[0];
  if (!first) throw new RefusedAddress(`${host} resolves to no address`);
  if (!allowPrivate) {
    for (const { address } of addresses) {
      const why = nonPublicReason(address);
      if (why !== null) {
        const named = address === host ? address : `${host} (${address})`;
        throw new RefusedAddress(`Refused to connect to ${named}: a ${why} address (LAUREL_WEBHOOK_ALLOW_PRIVATE=1 allows it)`);
      }
    }
  }
  return first;
}

/** An IPv6 address's eight 16-bit groups. */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const before = head === '' ? [] : head.split(':');
  const after = rest === undefined || rest === '' ? [] : rest.split(':');
  const groups = rest === undefined ? before : [...before, ...Array<string>(8 - before.length - after.length).fill('0'), ...after];
  return groups.map((g) => Number.parseInt(g, 16));
}

/**
 * The IPv4 address an IPv6 one carries, where connecting to it reaches that IPv4 address:
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d), 6to4 (2002:ab:cd::).
 */
function embeddedIpv4(g: readonly number[]): string | null {
  const v4 = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return v4(g[6] ?? 0, g[7] ?? 0);
  if (zeros(0, 6) && ((g[6] ?? 0) !== 0 || (g[7] ?? 0) > 1)) return v4(g[6] ?? 0, g[7] ?? 0);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4(g[6] ?? 0, g[7] ?? 0);
  if (g[0] === 0x2002) return v4(g[1] ?? 0, g[2] ?? 0);
  return null;
}
