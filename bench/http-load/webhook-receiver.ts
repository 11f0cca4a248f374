import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** One request the receiver got: its path, `webhook-id`, the body's `createdAt`, and when it came (ms). */
export interface ReceivedWebhookRecord {
  path: string;
  id: string;
  createdAt?: string;
  at: number;
}

export type ReceiverCommand = { kind: 'count' } | { kind: 'take' } | { kind: 'close' };
export type ReceiverMessage =
  | { kind: 'listening'; port: number }
  | { kind: 'count'; count: number }
  | { kind: 'taken'; received: ReceivedWebhookRecord[] };

/** The receiver thread (webhook-receiver-worker.ts), seen from the bench's main thread. */
export class BenchWebhookReceiver {
  private constructor(
    private readonly worker: Worker,
    readonly port: number,
  ) {}

  static start(): Promise<BenchWebhookReceiver> {
    const worker = new Worker(join(__dirname, 'webhook-receiver-worker.js'));
    return new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (message: ReceiverMessage) => {
        if (message.kind === 'listening') resolve(new BenchWebhookReceiver(worker, message.port));
        else reject(new Error(`the receiver said ${message.kind} before it listened`));
      });
    });
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  count(): Promise<number> {
    return this.ask({ kind: 'count' }).then((message) => (message.kind === 'count' ? message.count : 0));
  }

  /** What came since the last take. */
  take(): Promise<ReceivedWebhookRecord[]> {
    return this.ask({ kind: 'take' }).then((message) => (message.kind === 'taken' ? message.received : []));
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.postMessage({ kind: 'close' } satisfies ReceiverCommand);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000))]);
    await this.worker.terminate();
  }

  private ask(command: ReceiverCommand): Promise<ReceiverMessage> {
    return new Promise((resolve) => {
      this.worker.once('message', resolve);
      this.worker.postMessage(command);
    });
  }
}
