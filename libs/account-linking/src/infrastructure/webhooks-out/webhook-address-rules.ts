import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { WebhookUrlPolicy } from '../../application/webhooks-out/webhook-url-policy.port';

/** Resolves a host name to every address it has, as the connection would. */
export type WebhookHostResolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: WebhookHostResolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/**
 * Only globally routable unicast addresses: no private, loopback, link-local (169.254.169.254, the cloud
 * metadata address), carrier-grade NAT, unique-local, multicast, reserved or unspecified one. An IPv4
 * address mapped into IPv6 is judged as the IPv4 address it is.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

/** Names that only ever mean this machine or its private network, refused without asking DNS. */
const LOCAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)\.?$/i;

const RESOLVE_TIMEOUT_MS = 3_000;

/** `[::1]` in a URL is `::1` to the resolver. */
export const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * The registration-time rule; the sender checks again after resolving, on every delivery (a name may be
 * pointed elsewhere later). `allowPrivateNetworks` (WEBHOOK_ALLOW_PRIVATE_NETWORKS) lifts the address
 * rule and allows `http:` too.
 */
export class WebhookAddressRules implements WebhookUrlPolicy {
  constructor(
    private readonly allowPrivateNetworks: boolean,
    private readonly resolve: WebhookHostResolver = systemResolver,
  ) {}

  async refusalOf(raw: string): Promise<string | undefined> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return 'url must be an absolute https URL';
    }
    const schemes = this.allowPrivateNetworks ? ['https:', 'http:'] : ['https:'];
    if (!schemes.includes(url.protocol)) return 'url must be https';
    if (url.username !== '' || url.password !== '') return 'url must not carry credentials';
    if (this.allowPrivateNetworks) return undefined;
    const host = hostOf(url);
    if (isIP(host) !== 0)
      return isPublicAddress(host) ? undefined : 'url must not point at a private, loopback or link-local address';
    if (LOCAL_NAMES.test(host)) return 'url must not name a local host';
    const addresses = await this.resolveQuickly(host);
    if (addresses.some((address) => !isPublicAddress(address))) {
      return 'url resolves to a private, loopback or link-local address';
    }
    return undefined;
  }

  /** A name that does not resolve yet is let through: the sender checks what it resolves to at each delivery. */
  private async resolveQuickly(host: string): Promise<string[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string[]>((resolve) => {
      timer = setTimeout(() => resolve([]), RESOLVE_TIMEOUT_MS);
    });
    try {
      return await Promise.race([
        this.resolve(host).then((found) => found.map((entry) => entry.address)),
        timeout,
      ]).catch(() => []);
    } finally {
      clearTimeout(timer);
    }
  }
}
