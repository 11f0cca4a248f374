import { isIPv4, isIPv6 } from 'node:net';

/** One spelling per IP address: IPv4-mapped IPv6 as IPv4, IPv6 compressed and lower-cased, zone dropped. */
export function canonicalSourceAddress(address: string): string {
  const trimmed = address.trim();
  const withoutZone = trimmed.split('%')[0] ?? trimmed;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(withoutZone)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  if (isIPv4(withoutZone)) return withoutZone;
  if (isIPv6(withoutZone)) {
    const hostname = new URL(`http://[${withoutZone}]/`).hostname;
    const compressed = hostname.slice(1, -1);
    const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(compressed);
    if (mappedHex?.[1] && mappedHex[2]) return ipv4FromHexGroups(mappedHex[1], mappedHex[2]);
    return compressed;
  }
  return trimmed.toLowerCase();
}

function ipv4FromHexGroups(high: string, low: string): string {
  const h = Number.parseInt(high, 16);
  const l = Number.parseInt(low, 16);
  return [h >> 8, h & 0xff, l >> 8, l & 0xff].join('.');
}
