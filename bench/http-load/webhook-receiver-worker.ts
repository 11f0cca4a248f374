import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isMainThread, parentPort } from 'node:worker_threads';
import type { ReceivedWebhookRecord, ReceiverCommand, ReceiverMessage } from './webhook-receiver';

/**
 * The webhook receiver of the bench: plain node:http on loopback, in a thread of its own (as an app's server
 * would be another process), answering 204 at once and noting what came when (wall clock, ms).
 */
function run(): void {
  const port = parentPort;
  if (!port) return;
  let received: ReceivedWebhookRecord[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = Date.now();
      response.writeHead(204).end();
      let createdAt: string | undefined;
      try {
        createdAt = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { createdAt?: string }).createdAt;
      } catch {
        createdAt = undefined;
      }
      const id = request.headers['webhook-id'];
      received.push({
        path: request.url ?? '/',
        id: typeof id === 'string' ? id : '',
        at,
        ...(createdAt ? { createdAt } : {}),
      });
    });
  });
  server.keepAliveTimeout = 5_000;
  server.listen(0, '127.0.0.1', () => {
    port.postMessage({ kind: 'listening', port: (server.address() as AddressInfo).port } satisfies ReceiverMessage);
  });
  port.on('message', (command: ReceiverCommand) => {
    if (command.kind === 'count') {
      port.postMessage({ kind: 'count', count: received.length } satisfies ReceiverMessage);
    } else if (command.kind === 'take') {
      const taken = received;
      received = [];
      port.postMessage({ kind: 'taken', received: taken } satisfies ReceiverMessage);
    } else {
      server.closeAllConnections();
      server.close(() => port.close());
    }
  });
}

if (!isMainThread) run();
