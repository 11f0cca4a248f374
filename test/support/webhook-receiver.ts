import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** How a path answers: a status, after a delay (ms) if given. */
export type Answer = { status: number; delayMs?: number };

/** A real HTTP receiver on loopback, as an app's or a bank's webhook endpoint would be. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  connections = 0;
  private readonly answers = new Map<string, (nth: number) => Answer>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    server.on('connection', () => {
      receiver.connections += 1;
    });
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        const nth = receiver.received.filter((r) => r.path === path).length + 1;
        receiver.received.push({
          path,
          headers: request.headers,
          body: Buffer.concat(chunks).toString(),
          at: Date.now(),
        });
        const answer = receiver.answers.get(path)?.(nth) ?? { status: 204 };
        const reply = () => {
          if (!response.destroyed) response.writeHead(answer.status).end();
        };
        if (answer.delayMs) setTimeout(reply, answer.delayMs).unref();
        else reply();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Answers the nth request (1-based) to `path` as told; 204 otherwise. */
  answer(path: string, how: (nth: number) => Answer): void {
    this.answers.set(path, how);
  }

  at(path: string): ReceivedWebhook[] {
    return this.received.filter((request) => request.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
