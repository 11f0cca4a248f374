import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import type {
  WebhookRequest,
  WebhookResponse,
  WebhookSender,
} from '../../application/webhooks-out/webhook-sender.port';
import { hostOf, isPublicAddress, systemResolver, type WebhookHostResolver } from './webhook-address-rules';

/** Of the receiver's answer only the status counts; a few kilobytes of its body are read and dropped. */
const MAX_RESPONSE_BYTES = 4_096;

class AddressNotAllowed extends Error {
  override readonly name = 'AddressNotAllowed';
}

class DeliveryTimedOut extends Error {
  override readonly name = 'DeliveryTimedOut';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * POSTs with Node's own HTTP client, resolving the host itself and connecting only to the address it has
 * checked (the `lookup` hook of the socket: no second resolution between check and connect, so a DNS
 * rebinding gains nothing). No redirect is followed (the client never does), no connection is reused (each
 * delivery is checked afresh), and the whole exchange has one deadline.
 */
export class GuardedHttpWebhookSender implements WebhookSender {
  constructor(
    private readonly allowPrivateNetworks: boolean,
    private readonly resolve: WebhookHostResolver = systemResolver,
  ) {}

  send({ url, headers, body, timeoutMs }: WebhookRequest): Promise<WebhookResponse> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const target = new URL(url);
    const host = hostOf(target);
    const allowedScheme = target.protocol === 'https:' || (this.allowPrivateNetworks && target.protocol === 'http:');
    if (!allowedScheme || (!this.allowPrivateNetworks && isIP(host) !== 0 && !isPublicAddress(host))) {
      return Promise.resolve({ outcome: 'address_not_allowed', durationMs: elapsed() });
    }
    return new Promise<WebhookResponse>((resolve) => {
      let settled = false;
      const finish = (response: WebhookResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        resolve(response);
      };
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const outgoing = send(target, {
        method: 'POST',
        agent: false,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        lookup: (hostname: string, options: LookupOptions, callback: LookupCallback) =>
          this.lookup(hostname, options, callback),
      });
      const deadline = setTimeout(() => outgoing.destroy(new DeliveryTimedOut()), timeoutMs);
      outgoing.on('response', (response: IncomingMessage) => {
        finish({ outcome: 'answered', statusCode: response.statusCode ?? 0, durationMs: elapsed() });
        drainBounded(response);
      });
      outgoing.on('error', (error) => {
        const outcome =
          error instanceof AddressNotAllowed
            ? 'address_not_allowed'
            : error instanceof DeliveryTimedOut
              ? 'timeout'
              : 'network_error';
        finish({ outcome, durationMs: elapsed() });
      });
      outgoing.end(body);
    });
  }

  private lookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
    this.resolve(hostname).then(
      (found) => {
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const candidates = found.filter((entry) => family === undefined || entry.family === family);
        const usable = this.allowPrivateNetworks ? candidates : candidates.filter((e) => isPublicAddress(e.address));
        if (usable.length === 0 || usable.length < candidates.length) {
          return callback(new AddressNotAllowed(`${hostname} resolves to an address webhooks may not reach`), '');
        }
        if (options.all) return callback(null, usable);
        const [first] = usable as [LookupAddress];
        return callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  }
}

function drainBounded(response: IncomingMessage): void {
  let read = 0;
  response.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > MAX_RESPONSE_BYTES) response.destroy();
  });
  response.on('error', () => undefined);
}
