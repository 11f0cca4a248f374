import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './support/eventually';
import { aLinkRequest } from './support/link-request';
import { type ServiceUnderTest, startService } from './support/service-under-test';
import { WebhookReceiver } from './support/webhook-receiver';
import { anActiveLink, ofLink, registerEndpoint, verified } from './support/webhooks-out';
import type { CliIo } from '../apps/cli/src/cli-command';
import { main } from '../apps/cli/src/main';

/** The CLI against the whole service listening on an ephemeral port, as an operator would run it. */
describe('the kouza-link CLI against a running service', () => {
  let service: ServiceUnderTest;
  let url: string;
  let outDir: string;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    // Webhook deliveries run (to the receiver on loopback), as the webhook commands show them.
    service = await startService('embedded PGlite', {
      processes: 'running',
      env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' },
    });
    await service.app.listen(0, '127.0.0.1');
    url = await service.app.getUrl();
    outDir = mkdtempSync(join(tmpdir(), 'kouza-link-cli-'));
  });
  afterAll(async () => {
    await service?.close();
    await receiver?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  const operatorEnv = () => ({ KOUZA_LINK_URL: url, SANDBOX_OPERATOR_SECRET: service.secrets.operator });

  async function cli(argv: string[], env: Record<string, string | undefined> = operatorEnv()) {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      out: (text) => {
        stdout += text;
      },
      err: (text) => {
        stderr += text;
      },
      interactive: false,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 50))),
      writeFile: async (path, content) => {
        const { writeFile } = await import('node:fs/promises');
        await writeFile(path, content, 'utf8');
      },
      now: () => new Date(),
    };
    const code = await main(argv, env, io);
    return { code, stdout, stderr };
  }

  const tokenStatus = async (clientId: string, secret: string) =>
    (
      await fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
      })
    ).status;

  it('registers a payment app and prints its generated secret once, which then gets tokens', async () => {
    const { code, stdout } = await cli(['register-app', 'cli-wallet', '--name', 'CLI Wallet']);
    expect(code).toBe(0);
    expect(stdout).toContain('Registered payment_app client cli-wallet (CLI Wallet)');
    const secret = /Client secret \(shown once[^:]*\): (\S+)/.exec(stdout)?.[1];
    expect(secret).toBeDefined();
    expect(await tokenStatus('cli-wallet', secret as string)).toBe(200);

    const disabled = await cli(['disable-client', 'cli-wallet']);
    expect(disabled.code).toBe(0);
    expect(await tokenStatus('cli-wallet', secret as string)).toBe(401);
  });

  it('registers a bank, changes its policy, adds and ends webhook keys, and pulls and lifts its kill switch', async () => {
    const registered = await cli([
      'register-bank',
      '0033',
      '--name',
      'PayPay Bank',
      '--notified-by',
      'bank',
      '--cooling-off',
      '60',
      '--confirmation',
    ]);
    expect(registered.code).toBe(0);
    expect(registered.stdout).toContain('Registered bank 0033.');
    expect(registered.stdout).toMatch(/customer notified by\s+bank/);
    expect(registered.stdout).toMatch(/cooling-off\s+60 minutes/);
    expect(registered.stdout).toMatch(/confirmation required\s+yes/);

    const policy = await cli(['set-policy', '0033', '--cooling-off', '0', '--no-confirmation', '--phishing-resistant']);
    expect(policy.code).toBe(0);
    const bank = await (
      await fetch(`${url}/v1/admin/banks/0033`, {
        headers: { authorization: `Bearer ${await service.token('sandbox-operator')}` },
      })
    ).json();
    expect(bank).toMatchObject({
      name: 'PayPay Bank',
      policy: {
        customerNotifiedBy: 'bank',
        coolingOffMinutes: 0,
        customerConfirmationRequired: false,
        phishingResistantFactorRequired: true,
      },
    });

    const hmac = await cli(['add-webhook-key', '0033', '--key-id', 'hmac-1']);
    expect(hmac.code).toBe(0);
    expect(hmac.stdout).toMatch(/whsec_[A-Za-z0-9+/]+=*/);
    const ed = await cli(['add-webhook-key', '0033', '--key-id', 'ed-2', '--kind', 'ed25519']);
    expect(ed.code).toBe(0);
    expect(ed.stdout).toMatch(/never sent to the service[^\n]*\nwhsk_/);
    const ended = await cli(['end-webhook-key', '0033', 'hmac-1', '--not-after', 'now']);
    expect(ended.code).toBe(0);
    const shown = await cli(['show-bank', '0033']);
    expect(shown.stdout).toMatch(/hmac-1 \(hmac\)[^\n]*\[not valid now\]/);
    expect(shown.stdout).toMatch(/ed-2 \(ed25519\) from [^\n]* until no end\n/);
    expect(shown.stdout).not.toMatch(/whsec_|whpk_|whsk_/);

    const suspended = await cli(['suspend-bank', '0033', '--reason', 'credential stuffing seen']);
    expect(suspended.code).toBe(0);
    expect(suspended.stdout).toContain('Bank 0033 is suspended');
    expect((await cli(['show-bank', '0033'])).stdout).toMatch(/kill switch\s+ON since .*credential stuffing seen/);
    const lifted = await cli(['lift-bank', '0033']);
    expect(lifted.code).toBe(0);
    expect((await cli(['show-bank', '0033'])).stdout).toMatch(/kill switch\s+off/);
  });

  it("exports a link's history as an investigator, to a file", async () => {
    const app = await service.token('sandbox-app');
    const requested = await service.app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: { authorization: `Bearer ${app}`, 'content-type': 'application/json' },
      payload: {
        customer: { reference: `user-${randomUUID()}` },
        ekyc: {
          method: 'jpki',
          verifiedAt: '2026-11-20T10:00:00Z',
          name: { kanji: '山田 太郎', kana: 'ヤマダ タロウ' },
          birthDate: '1990-01-02',
          phone: '090-1234-5678',
        },
        bankAccount: { bankCode: '9900', branchCode: '001', type: 'ordinary', number: '7654321' },
        device: { id: 'device-cli' },
      },
    });
    const linkId = requested.json().id as string;
    const out = join(outDir, 'history.json');
    const env = { KOUZA_LINK_URL: url, SANDBOX_INVESTIGATOR_SECRET: service.secrets.investigator };
    const exported = await cli(['export-history', linkId, '--case', 'CASE-7', '--out', out], env);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`to ${out} (case CASE-7)`);
    const history = JSON.parse(readFileSync(out, 'utf8'));
    expect(history).toMatchObject({ case: 'CASE-7', linkId });
    expect(history.events[0]).toMatchObject({ type: 'LinkRequested', streamName: `link-${linkId}` });
    expect(await service.eventTypesOf('audit-investigations')).toContain('InvestigationRecordRead');

    const toStdout = await cli(['export-history', linkId, '--case', 'CASE-7'], env);
    expect(JSON.parse(toStdout.stdout).linkId).toBe(linkId);
  });

  it('lists complaint cases and shows one with its notes, as an operator', async () => {
    const token = await service.token();
    const linkId = await anActiveLink(service, token);
    const opened = await service.app.inject({
      method: 'POST',
      url: '/v1/cases',
      headers: { authorization: `Bearer ${token}` },
      payload: { linkId, category: 'other', summary: 'charged twice for one order' },
    });
    expect(opened.statusCode).toBe(201);
    const caseId = opened.json().id as string;
    await service.app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/notes`,
      headers: { authorization: `Bearer ${token}` },
      payload: { text: 'the bank statement shows two debits' },
    });
    await eventually(async () => {
      const listed = await cli(['cases', '--link', linkId]);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toContain(`${caseId}  open`);
    });
    const shown = await cli(['show-case', caseId]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('summary: charged twice for one order');
    expect(shown.stdout).toContain('payment_app: the bank statement shows two debits');
    expect((await cli(['cases', '--status', 'later'])).code).toBe(2);
    const unknown = await cli(['show-case', 'cas_unknown']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('case_not_found');
  });

  it('lists actor blocks and lifts one with a reason', async () => {
    const token = await service.token();
    const device = `cli-attacker-${randomUUID()}`;
    for (let i = 0; i < 3; i++) {
      const created = await service.app.inject({
        method: 'POST',
        url: '/v1/links',
        headers: { authorization: `Bearer ${token}` },
        payload: { ...aLinkRequest(), device: { id: device } },
      });
      await service.sendBankEvent({ type: 'authentication.failed', data: { linkId: created.json().id, reason: 'x' } });
    }
    const listed = await cli(['actor-blocks']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`device sandbox-app/${device}`);
    const blockId = new RegExp(`(blk_\\S+)  device sandbox-app/${device}`).exec(listed.stdout)?.[1];
    expect(blockId).toBeDefined();

    const lifted = await cli(['lift-actor-block', blockId as string, '--reason', 'verified by phone']);
    expect(lifted.code).toBe(0);
    expect(lifted.stdout).toContain(`Block ${blockId} on device ${device} is lifted.`);
    expect((await cli(['actor-blocks'])).stdout).not.toContain(device);
    expect((await cli(['actor-blocks', '--all'])).stdout).toContain('lifted');
  });

  it("lists an app's webhook endpoints and deliveries and replays a window, as the app whose endpoints they are", async () => {
    const app = await service.token('sandbox-app');
    const path = `/cli-${randomUUID()}`;
    const endpoint = await registerEndpoint(service, app, receiver.url(path), {
      eventTypes: ['link.activated'],
      description: 'from the CLI test',
    });
    const before = new Date(Date.now() - 1000).toISOString();
    const linkId = await anActiveLink(service, app);
    await eventually(async () => expect(ofLink(receiver.at(path), linkId)).toHaveLength(1));
    const appEnv = { KOUZA_LINK_URL: url, SANDBOX_APP_SECRET: service.secrets.app };

    const listed = await cli(['webhook-endpoints'], appEnv);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(
      `${endpoint.id}  enabled  ${receiver.url(path)}  link.activated  "from the CLI test"\n`,
    );
    expect(listed.stdout).not.toContain('whsec_');

    const deliveries = await eventually(async () => {
      const shown = await cli(['webhook-deliveries', endpoint.id], appEnv);
      expect(shown.stdout).toMatch(/evt_\S+ {2}attempt 1 {2}succeeded {2}204 {2}\d+ ms\n/);
      return shown;
    });
    expect(deliveries.code).toBe(0);
    const eventId = /(evt_\S+) {2}attempt 1/.exec(deliveries.stdout)?.[1];

    const replayed = await cli(['replay-webhooks', endpoint.id, '--since', before, '--until', 'now'], appEnv);
    expect(replayed.code).toBe(0);
    // Every link.activated of the app in the window: this link's, and any other test's link activated meanwhile.
    const queued = new RegExp(`^Replay rpl_\\S+: (\\d+) deliveries queued to ${endpoint.id}`).exec(replayed.stdout);
    expect(Number(queued?.[1])).toBeGreaterThanOrEqual(1);
    const [, again] = await eventually(async () => {
      const received = ofLink(receiver.at(path), linkId);
      expect(received).toHaveLength(2);
      return received;
    });
    expect(verified(endpoint.secret, again as never).id).toBe(eventId);
    expect(again?.headers['webhook-id']).toBe(eventId);

    // Another app, chosen with --client-id (its secret in the environment), sees none of them.
    const registered = await cli(['register-app', `cli-other-${randomUUID().slice(0, 8)}`]);
    const other = /Registered payment_app client (\S+)/.exec(registered.stdout)?.[1] as string;
    const otherSecret = /Client secret \(shown once[^:]*\): (\S+)/.exec(registered.stdout)?.[1];
    const otherEnv = { KOUZA_LINK_URL: url, KOUZA_LINK_CLIENT_SECRET: otherSecret };
    const none = await cli(['webhook-endpoints', '--client-id', other], otherEnv);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('No webhook endpoints.\n');
    const notTheirs = await cli(['webhook-deliveries', endpoint.id, `--client-id=${other}`], otherEnv);
    expect(notTheirs.code).toBe(1);
    expect(notTheirs.stderr).toContain('error: webhook_endpoint_not_found:');
    expect(notTheirs.stderr).toContain(`is ${other} the right --client-id?`);
    const notReplayed = await cli(['replay-webhooks', endpoint.id, '--since', before, '--client-id', other], otherEnv);
    expect(notReplayed.code).toBe(1);

    // An operator has no webhook endpoints of its own.
    const operator = await cli(['webhook-endpoints', '--client-id', 'sandbox-operator']);
    expect(operator.code).toBe(1);
    expect(operator.stderr).toContain('The client sandbox-operator has not the role this command needs.');

    const noSince = await cli(['replay-webhooks', endpoint.id], appEnv);
    expect(noSince.code).toBe(2);
    expect(noSince.stderr).toContain('--since is required');
    const badLimit = await cli(['webhook-deliveries', endpoint.id, '--limit', 'many'], appEnv);
    expect(badLimit.code).toBe(2);
    const secretInArgs = await cli(['webhook-endpoints', '--client-secret', 'x'], appEnv);
    expect(secretInArgs.code).toBe(2);
    expect(secretInArgs.stderr).toContain('set KOUZA_LINK_CLIENT_SECRET');
    const noAppSecret = await cli(['webhook-endpoints'], { KOUZA_LINK_URL: url });
    expect(noAppSecret.code).toBe(2);
    expect(noAppSecret.stderr).toContain('SANDBOX_APP_SECRET');
  });

  it('rebuilds a read model with a progress line', async () => {
    const { code, stderr } = await cli(['rebuild', 'links']);
    expect(code).toBe(0);
    expect(stderr.trim().split('\n').at(-1)).toMatch(/^links \[#{30}\] 100% .* done$/);
    const all = await cli(['rebuild', 'all']);
    expect(all.code).toBe(0);
    expect(all.stderr.trim().split('\n').at(-1)).toMatch(/^all \d+ read models \[#{30}\] 100% .* done$/);
  });

  it("prints the problem's code and detail and exits non-zero when the service refuses", async () => {
    const unknown = await cli(['show-bank', '0999']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('error: unknown_bank: No bank with code 0999 is registered');

    const invalid = await cli(['add-webhook-key', '9900', '--secret', 'whsec_short']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('error: validation_failed:');
    expect(invalid.stderr).toContain('  secret: secret must be whsec_');

    const taken = await cli(['register-app', 'sandbox-app']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('error: client_exists:');

    const wrongSecret = await cli(['projections'], {
      KOUZA_LINK_URL: url,
      KOUZA_LINK_CLIENT_SECRET: 'not-the-secret-at-all',
    });
    expect(wrongSecret.code).toBe(1);
    expect(wrongSecret.stderr).toContain('error: invalid_client:');

    const notInvestigator = await cli(['export-history', 'lnk_x', '--case', 'C-1'], {
      KOUZA_LINK_URL: url,
      KOUZA_LINK_CLIENT_ID: 'sandbox-operator',
      KOUZA_LINK_CLIENT_SECRET: service.secrets.operator,
    });
    expect(notInvestigator.code).toBe(1);
    expect(notInvestigator.stderr).toMatch(/error: (invalid_scope|forbidden):/);
  });

  it('says what is wrong with the command line and exits 2', async () => {
    const noReason = await cli(['suspend-bank', '9900']);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--reason is required');
    expect(noReason.stderr).toContain('usage: suspend-bank <code> --reason <text>');
    const badMinutes = await cli([
      'register-bank',
      '0040',
      '--name',
      'x',
      '--notified-by',
      'service',
      '--cooling-off',
      'soon',
    ]);
    expect(badMinutes.code).toBe(2);
    expect(badMinutes.stderr).toContain('--cooling-off must be a whole number of minutes');
    expect((await cli(['register-app'])).code).toBe(2);
    expect((await cli(['register-app', 'a', '--colour', 'red'])).code).toBe(2);
    expect((await cli(['frobnicate'])).stderr).toContain('unknown command frobnicate');
    const noSecret = await cli(['projections'], { KOUZA_LINK_URL: url });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain('set KOUZA_LINK_CLIENT_SECRET');
    const help = await cli(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('export-history <linkId> --case <caseId>');
  });

  it('says so when the service cannot be reached', async () => {
    const { code, stderr } = await cli(['projections'], {
      KOUZA_LINK_URL: 'http://127.0.0.1:9',
      SANDBOX_OPERATOR_SECRET: 'whatever-secret-123',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('error: service_unreachable: cannot reach the service at http://127.0.0.1:9');
  });
});
