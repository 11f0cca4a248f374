import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { type IncomingHttpHeaders, createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { verifyWebhook } from '@lib/platform/webhooks/verify-webhook';

export interface DemoIo {
  out(text: string): void;
  err(text: string): void;
}

export interface DemoOptions {
  /** How long to wait for the link to become active. */
  activeWithinMs?: number;
  pollEveryMs?: number;
  /** Where the temporary data folder is made. */
  tmpRoot?: string;
  /** The built service the demo runs (`node <serviceMain>`); by default the one `npm run build` put beside it. */
  serviceMain?: string;
  /** How long the service may take to answer `/health/ready`. */
  readyWithinMs?: number;
  /** How long to wait for the signed `link.activated` at the demo's receiver once the link is active. */
  webhookWithinMs?: number;
}

/** A request the demo's receiver got, as it came (the body byte for byte, for a signature check). */
export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface DemoOutcome {
  exitCode: number;
  linkId?: string;
  dataDir?: string;
  /** The endpoint's secret and the `link.activated` delivery its receiver got. */
  webhook?: { secret: string; received: ReceivedWebhook };
}

const CASE_ID = 'DEMO-1';
/** dist/apps/demo/src → dist/apps/api/src/main.js: the service as `npm start` runs it, started, never imported. */
const BUILT_SERVICE = join(__dirname, '..', '..', 'api', 'src', 'main.js');
const TERMINAL = new Set(['rejected', 'revoked', 'expired']);

/** A step failed: the demo says which and why. */
class DemoStepFailed extends Error {
  override readonly name = 'DemoStepFailed';
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * The README's sandbox walk-through as a newcomer would do it with curl, over HTTP, against a service started here,
 * with the app's webhook receiver on loopback.
 */
export async function runDemo(io: DemoIo = processIo(), options: DemoOptions = {}): Promise<DemoOutcome> {
  const say = (text = '') => io.out(`${text}\n`);
  const dataDir = await mkdtemp(join(options.tmpRoot ?? tmpdir(), 'kouza-link-demo-'));
  const secrets = {
    app: randomBytes(24).toString('base64url'),
    investigator: randomBytes(24).toString('base64url'),
    operator: randomBytes(24).toString('base64url'),
  };
  let service: RunningService | undefined;
  let receiver: DemoReceiver | undefined;
  let step = 'starting the service';
  let linkId: string | undefined;
  try {
    say('kouza-link demo: the sandbox walk-through of the README, against a service started just for it.');
    say();
    const main = options.serviceMain ?? BUILT_SERVICE;
    say(
      `Starting the service (node ${relative(process.cwd(), main)}): embedded store (PGlite) in ${dataDir}, sandbox on …`,
    );
    service = await startBuiltService(main, dataDir, secrets);
    await service.ready(options.readyWithinMs ?? 120_000);
    const { url } = service;
    say(`   listening on ${url}`);
    say();

    const call = async (
      method: string,
      path: string,
      init: {
        token?: string;
        headers?: Record<string, string>;
        json?: unknown;
        form?: Record<string, string>;
        /** A refusal the step expects (a 422 problem), answered rather than failed. */
        expect?: number;
      } = {},
    ): Promise<Answer> => {
      const headers: Record<string, string> = { ...init.headers };
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      let body: string | undefined;
      if (init.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(init.json);
      } else if (init.form) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(init.form).toString();
      }
      const response = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
      const answer = {
        status: response.status,
        body: (await response.json().catch(() => ({}))) as Record<string, unknown>,
      };
      if (response.status >= 400 && response.status !== init.expect) {
        throw new DemoStepFailed(
          `${method} ${path} answered ${response.status} ${String(answer.body.code ?? '')}: ${String(answer.body.detail ?? '')}`,
        );
      }
      return answer;
    };
    const tokenOf = async (clientId: string, secret: string) => {
      const { body } = await call('POST', '/oauth/token', {
        form: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret },
      });
      return { token: String(body.access_token), scope: String(body.scope), expiresIn: Number(body.expires_in) };
    };

    step = '1, the app token';
    say('1. The payment app gets an access token (OAuth client credentials, client sandbox-app)');
    const appToken = await tokenOf('sandbox-app', secrets.app);
    say(`   → a bearer token with scopes "${appToken.scope}", valid ${appToken.expiresIn} s`);

    step = '2, the webhook endpoint';
    receiver = await startReceiver();
    say(`2. It registers a webhook endpoint for link.activated: a receiver the demo started at ${receiver.url}`);
    say('   (the sandbox in the embedded mode allows http and loopback; production endpoints must be public https)');
    const endpoint = await call('POST', '/v1/webhook-endpoints', {
      token: appToken.token,
      headers: { 'idempotency-key': randomUUID() },
      json: { url: receiver.url, eventTypes: ['link.activated'], description: 'npm run demo' },
    });
    const webhookSecret = String(endpoint.body.secret);
    say(
      `   → endpoint ${String(endpoint.body.id)}, ${String(endpoint.body.status)}, secret ${webhookSecret.slice(0, 12)}… (shown this once)`,
    );

    step = '3, requesting the link';
    say("3. It asks to link its user's account at Sandbox Bank (9900), branch 001, ordinary 1234567,");
    say('   with the eKYC it did (JPKI): 山田 太郎 / ヤマダ タロウ, born 1990-01-02');
    const requested = await call('POST', '/v1/links', {
      token: appToken.token,
      headers: { 'idempotency-key': randomUUID() },
      json: {
        customer: { reference: 'user-123' },
        ekyc: {
          method: 'jpki',
          verifiedAt: '2026-11-20T10:00:00Z',
          name: { kanji: '山田 太郎', kana: 'ヤマダ タロウ' },
          birthDate: '1990-01-02',
          phone: '090-1234-5678',
        },
        bankAccount: { bankCode: '9900', branchCode: '001', type: 'ordinary', number: '1234567' },
        device: { id: 'device-abc' },
      },
    });
    linkId = String(requested.body.id);
    say(`   → link ${linkId}, status ${String(requested.body.status)}`);

    step = '4, the simulated bank';
    say('4. Sandbox Bank authenticates the customer (password + SMS one-time code) and sends its signed webhook');
    const simulated = await call('POST', '/v1/sandbox/banks/9900/authentications', {
      token: appToken.token,
      json: { linkId, scenario: 'success' },
    });
    const webhook = simulated.body.webhook as { type?: string; status?: number } | undefined;
    say(
      `   → webhook ${webhook?.type ?? '?'} delivered to POST /v1/banks/9900/events, answered ${webhook?.status ?? '?'}`,
    );
    if (webhook?.status !== 204)
      throw new DemoStepFailed(`the webhook was refused: ${JSON.stringify(simulated.body.problem)}`);

    step = '5, waiting for active';
    say('5. Waiting for the link to become active: the worker tells the customer at the contact the bank holds,');
    say('   then (Sandbox Bank has no cooling-off) activates it');
    const started = Date.now();
    const deadline = started + (options.activeWithinMs ?? 30_000);
    let seen = String(requested.body.status);
    let link: Record<string, unknown>;
    for (;;) {
      link = (await call('GET', `/v1/links/${linkId}`, { token: appToken.token })).body;
      const status = String(link.status);
      if (status !== seen) {
        seen = status;
        say(`   → status ${status} (after ${((Date.now() - started) / 1000).toFixed(1)} s)`);
      }
      if (status === 'active') break;
      if (TERMINAL.has(status)) {
        throw new DemoStepFailed(
          `the link ended ${status}: ${String(link.reason ?? '')} ${String(link.reasonDetail ?? '')}`,
        );
      }
      if (Date.now() > deadline)
        throw new DemoStepFailed(`the link is still ${status} after ${options.activeWithinMs ?? 30_000} ms`);
      await new Promise((resolve) => setTimeout(resolve, options.pollEveryMs ?? 200));
    }

    step = '6, the signed webhook';
    say('6. The signed link.activated the app received at its endpoint (Standard Webhooks v1):');
    const received = await receiver.activated(options.webhookWithinMs ?? 30_000);
    for (const header of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      say(`   ${header}: ${String(received.headers[header])}`);
    }
    const verification = verifyWebhook({
      headers: received.headers,
      rawBody: received.body,
      keys: [{ keyId: String(endpoint.body.id), kind: 'hmac', secret: webhookSecret }],
      now: new Date(),
    });
    if (!verification.ok) throw new DemoStepFailed(`the webhook's signature does not verify: ${verification.code}`);
    say("   → the signature verifies with the endpoint's secret (HMAC-SHA256 over id.timestamp.body)");
    say(JSON.stringify(JSON.parse(received.body), null, 2).replace(/^/gm, '   '));
    say();

    step = '7, the notification';
    say("7. The notification Sandbox Bank's customer would have received (sandbox outbox, read as the operator):");
    const operator = await tokenOf('sandbox-operator', secrets.operator);
    const outbox = await call('GET', `/v1/sandbox/notifications?linkId=${encodeURIComponent(linkId)}`, {
      token: operator.token,
    });
    const [notification] = (outbox.body.items ?? []) as {
      channel: string;
      recipient: string;
      subject?: string;
      text: string;
    }[];
    if (!notification) throw new DemoStepFailed('the sandbox outbox has no notification for the link');
    say(`   to: ${notification.recipient} (${notification.channel})`);
    if (notification.subject) say(`   subject: ${notification.subject}`);
    say();
    for (const line of notification.text.split('\n')) say(`   │ ${line}`.trimEnd());
    say();

    step = '8, the history';
    say(`8. The link's history, read by an investigator for case ${CASE_ID} (the read itself is recorded):`);
    const investigator = await tokenOf('sandbox-investigator', secrets.investigator);
    const history = await call('GET', `/v1/investigations/links/${encodeURIComponent(linkId)}/events`, {
      token: investigator.token,
      headers: { 'x-investigation-case': CASE_ID },
    });
    for (const event of (history.body.events ?? []) as {
      revision: number;
      type: string;
      recordedAt: string;
      metadata?: { actor?: { type: string; id: string } };
    }[]) {
      const actor = event.metadata?.actor ? `${event.metadata.actor.type} ${event.metadata.actor.id}` : '';
      say(`   #${event.revision}  ${event.recordedAt}  ${event.type.padEnd(32)} ${actor}`);
    }
    say();

    step = '9, the active link';
    say('9. The active link, as the payment app sees it (GET /v1/links/{id}):');
    say(JSON.stringify(link, null, 2).replace(/^/gm, '   '));
    say();

    step = '10, an authorised debit';
    const debitPath = `/v1/links/${encodeURIComponent(linkId)}/debits`;
    const boundDevice = String(link.boundDeviceId ?? 'device-abc');
    say(`10. Before it pulls money, the app asks the service (POST /v1/links/{id}/debits): 5,000 yen,`);
    say(`    from the device the link is bound to (${boundDevice})`);
    const authorised = await call('POST', debitPath, {
      token: appToken.token,
      headers: { 'idempotency-key': randomUUID() },
      json: {
        amount: 5000,
        currency: 'JPY',
        reference: 'charge-123',
        device: { id: boundDevice, ipAddress: '203.0.113.7' },
      },
    });
    if (authorised.status !== 201 || authorised.body.status !== 'authorised') {
      throw new DemoStepFailed(`the debit was not authorised: ${JSON.stringify(authorised.body)}`);
    }
    say(
      `    → ${authorised.status} debit ${String(authorised.body.id)}, ${String(authorised.body.status)}, ` +
        `${String(authorised.body.amount)} ${String(authorised.body.currency)}, until ${String(authorised.body.expiresAt)}`,
    );
    say('      (the bank can look it up; unless it reports the debit settled or failed, it lapses in 10 minutes)');

    step = '11, a refused debit';
    say('11. The same from another phone (device-xyz): a link is bound to the device that asked for it (R9)');
    const refused = await call('POST', debitPath, {
      token: appToken.token,
      headers: { 'idempotency-key': randomUUID() },
      json: { amount: 5000, currency: 'JPY', reference: 'charge-124', device: { id: 'device-xyz' } },
      expect: 422,
    });
    if (refused.status !== 422) {
      throw new DemoStepFailed(`the debit from another device was not refused: ${refused.status}`);
    }
    say(`    → ${refused.status} ${String(refused.body.code)}: ${String(refused.body.detail)}`);
    say(`      the refusal is recorded too, as debit ${String(refused.body.debitId)}`);
    say();
    say(`Done: link ${linkId} is active.`);
    return { exitCode: 0, linkId, dataDir, webhook: { secret: webhookSecret, received } };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    io.err(`\ndemo failed at step ${step}: ${reason}\n`);
    const said = service?.output().trim();
    if (said) io.err(`the service's log:\n${said}\n`);
    return { exitCode: 1, ...(linkId ? { linkId } : {}), dataDir };
  } finally {
    await service?.stop().catch((error: unknown) => io.err(`could not stop the service cleanly: ${String(error)}\n`));
    await receiver?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

interface RunningService {
  url: string;
  /** Resolves once the service answers `/health/ready`; fails if it exits first or takes longer. */
  ready(withinMs: number): Promise<void>;
  /** The tail of what the service wrote (its error log), for a failure report. */
  output(): string;
  /** SIGTERM, as an operator stops it: the service closes its store and exits. */
  stop(): Promise<void>;
}

/**
 * The built service as `npm start` runs it (embedded PGlite, api and worker in one process), in a process of
 * its own on a free local port.
 */
async function startBuiltService(
  main: string,
  dataDir: string,
  secrets: { app: string; investigator: string; operator: string },
): Promise<RunningService> {
  if (!existsSync(main)) throw new DemoStepFailed(`no built service at ${main}: run \`npm run build\` first`);
  const port = await freePort();
  // Only what the demo sets: a DATABASE_URL in the caller's shell must not send it to a real server.
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(port),
    SANDBOX: 'true',
    SANDBOX_APP_SECRET: secrets.app,
    SANDBOX_INVESTIGATOR_SECRET: secrets.investigator,
    SANDBOX_OPERATOR_SECRET: secrets.operator,
    LOG_LEVEL: 'error',
    TIMER_POLL_INTERVAL_MS: '100',
  };
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = `${output}${chunk.toString('utf8')}`.slice(-8_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let ended: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      ended ??= error.message;
      resolve();
    });
    child.once('exit', (code, signal) => {
      ended ??= signal ? `signal ${signal}` : `code ${code}`;
      resolve();
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async ready(withinMs) {
      const deadline = Date.now() + withinMs;
      for (;;) {
        if (ended) throw new DemoStepFailed(`the service exited (${ended}) before it was ready`);
        const ready = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then(
          (response) => response.ok,
          () => false,
        );
        if (ready) return;
        if (Date.now() > deadline) throw new DemoStepFailed(`the service was not ready within ${withinMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    output: () => output,
    async stop() {
      if (ended) return;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(kill);
    },
  };
}

interface DemoReceiver {
  url: string;
  /** The first `link.activated` it got; fails after `withinMs` without one. */
  activated(withinMs: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

/** The app's webhook receiver: plain HTTP on loopback, answering 204 to everything, keeping what came. */
async function startReceiver(): Promise<DemoReceiver> {
  const received: ReceivedWebhook[] = [];
  const server = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const typeOf = (webhook: ReceivedWebhook) => {
    try {
      return (JSON.parse(webhook.body) as { type?: unknown }).type;
    } catch {
      return undefined;
    }
  };
  return {
    url: `http://127.0.0.1:${port}/webhooks/kouza-link`,
    async activated(withinMs) {
      const deadline = Date.now() + withinMs;
      for (;;) {
        const activated = received.find((webhook) => typeOf(webhook) === 'link.activated');
        if (activated) return activated;
        if (Date.now() > deadline) {
          throw new DemoStepFailed(`no link.activated reached the receiver within ${withinMs} ms`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A port nothing listens on now, for the service to take. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function processIo(): DemoIo {
  return { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) };
}

if (require.main === module) {
  runDemo().then(
    ({ exitCode }) => {
      process.exitCode = exitCode;
    },
    (error: unknown) => {
      process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
