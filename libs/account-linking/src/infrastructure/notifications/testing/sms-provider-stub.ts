import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SmsRequest {
  headers: IncomingHttpHeaders;
  body: { to?: string; text?: string; reference?: string };
}

/**
 * An SMS provider's HTTP API on a free loopback port: it checks the bearer key and, as real providers do,
 * sends a message once per Idempotency-Key. `requests` has every call; `sent` only what reached a phone.
 */
export class SmsProviderStub {
  readonly requests: SmsRequest[] = [];
  readonly sent: SmsRequest[] = [];
  private failures: number[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly apiKey: string,
  ) {}

  static async start(apiKey = 'sms-test-key'): Promise<SmsProviderStub> {
    let stub: SmsProviderStub | undefined;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (!stub) return response.writeHead(503).end();
        const call: SmsRequest = {
          headers: request.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'),
        };
        stub.requests.push(call);
        if (request.headers.authorization !== `Bearer ${stub.apiKey}`) return response.writeHead(401).end();
        const failure = stub.failures.shift();
        if (failure !== undefined) return response.writeHead(failure).end();
        const key = request.headers['idempotency-key'];
        if (!stub.sent.some((sent) => sent.headers['idempotency-key'] === key)) stub.sent.push(call);
        response.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ id: key }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    stub = new SmsProviderStub(server, `http://127.0.0.1:${port}/v1/messages`, apiKey);
    return stub;
  }

  /** The next calls answer with these statuses, one each. */
  failNext(...statuses: number[]): void {
    this.failures.push(...statuses);
  }

  async waitForSent(predicate: (sms: SmsRequest) => boolean, timeoutMs = 10_000): Promise<SmsRequest> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.sent.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such SMS within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
