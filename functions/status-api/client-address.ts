/**
 * The one home of how a request's source address becomes a rate-limit client. An IPv4 address is one
 * client; an IPv6 address is its /64, because one customer line (or one attacker's server) is routinely
 * given a whole /64 and can pick any of its 2^64 addresses per request; an IPv4-mapped IPv6 address
 * (`::ffff:192.0.2.1`) is the IPv4 address it maps. Anything else (API Gateway always sends an address,
 * so this is a test or a proxy bug) is one shared client, so it cannot mint fresh budgets either.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** The client for a source address: `v4:a.b.c.d`, `v6:xxxx:xxxx:xxxx:xxxx::/64` or `unknown`. */
export const clientBucket = (sourceIp: string | undefined): string => {
  const address = (sourceIp ?? '').trim();
  if (isIPv4(address)) return `v4:${address}`;
  const hextets = expandIPv6(address);
  if (!hextets) return 'unknown';
  const mapped = mappedIPv4(hextets);
  if (mapped) return `v4:${mapped}`;
  return `v6:${hextets.slice(0, 4).join(':')}::/64`;
};

/** The eight 16-bit groups of an IPv6 address (zone id dropped), lower-case and unpadded; else undefined. */
const expandIPv6 = (text: string): string[] | undefined => {
  const address = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!isIPv6(address)) return undefined;
  let body = address.toLowerCase();
  // An embedded IPv4 tail (::ffff:192.0.2.1, 64:ff9b::192.0.2.1) becomes two groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(body);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    body = `${body.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = body.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  const groups = tail === undefined ? left : [...left, ...Array<string>(missing).fill('0'), ...right];
  if (groups.length !== 8) return undefined;
  return groups.map((group) => Number.parseInt(group, 16).toString(16));
};

/** The dotted IPv4 address of an IPv4-mapped IPv6 address (::ffff:0:0/96), else undefined. */
const mappedIPv4 = (hextets: readonly string[]): string | undefined => {
  if (hextets.slice(0, 5).some((group) => group !== '0') || hextets[5] !== 'ffff') return undefined;
  const high = Number.parseInt(hextets[6] ?? '0', 16);
  const low = Number.parseInt(hextets[7] ?? '0', 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
};
