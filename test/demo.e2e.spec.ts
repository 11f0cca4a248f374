import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { runDemo } from '../apps/demo/src/main';

const ROOT = join(__dirname, '..');
// A build, then the whole service started in a process of its own, on a machine busy with other suites.
jest.setTimeout(180_000);

/** `npm run build`, into a folder of its own (dist/ is left alone), whose packages are the checkout's. */
function buildService(): string {
  const out = mkdtempSync(join(tmpdir(), 'kouza-link-demo-build-'));
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/@swc/cli/bin/swc.js'),
      ...['apps', 'libs', '-d', out, '--config-file', '.swcrc', '--quiet'],
      ...['--ignore', '**/*.spec.ts', '--ignore', '**/testing/**'],
    ],
    { cwd: ROOT, stdio: 'pipe' },
  );
  symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
  return out;
}

function capturedIo() {
  const io = { out: '', err: '' };
  return {
    io,
    demoIo: {
      out: (text: string) => {
        io.out += text;
      },
      err: (text: string) => {
        io.err += text;
      },
    },
  };
}

describe('npm run demo', () => {
  let build: string;
  let fakes: string;

  beforeAll(() => {
    build = buildService();
    fakes = mkdtempSync(join(tmpdir(), 'kouza-link-demo-fakes-'));
  });

  afterAll(() => {
    rmSync(build, { recursive: true, force: true });
    rmSync(fakes, { recursive: true, force: true });
  });

  it('walks the sandbox to an active link, printing each step and the notification text, and cleans up', async () => {
    const { io, demoIo } = capturedIo();
    const outcome = await runDemo(demoIo, { serviceMain: join(build, 'apps/api/src/main.js') });

    expect(io.err).toBe('');
    expect(outcome.exitCode).toBe(0);
    const out = io.out;
    expect(out).toMatch(/→ link lnk_\S+, status awaiting_bank_authentication/);
    expect(out).toMatch(/→ status active \(after [\d.]+ s\)/);
    expect(out).toContain('口座連携の手続きが行われましたのでお知らせします');
    expect(out).toMatch(/→ endpoint whe_\S+, enabled, secret whsec_\S+… \(shown this once\)/);
    expect(out).toMatch(/webhook-signature: v1,\S+/);
    expect(out).toContain("→ the signature verifies with the endpoint's secret");
    // What the demo's receiver got verifies with the reference implementation too, and is this link's activation.
    const { secret, received } = outcome.webhook ?? { secret: '', received: { headers: {}, body: '' } };
    const event = new Webhook(secret).verify(received.body, received.headers as Record<string, string>) as {
      type: string;
      data: { id: string; status: string };
    };
    expect(event).toMatchObject({ type: 'link.activated', data: { id: outcome.linkId, status: 'active' } });
    expect(out).toContain('"type": "link.activated"');
    expect(out).toMatch(/#0 {2}\S+ {2}LinkRequested\s+payment_app sandbox-app/);
    expect(out).toContain(`"id": "${outcome.linkId}"`);
    expect(out).toContain('"status": "active"');
    // A debit from the bound device is authorised; one from another device refused and recorded.
    expect(out).toMatch(/10\. Before it pulls money, the app asks the service/);
    expect(out).toMatch(/→ 201 debit dbt_\S+, authorised, 5000 JPY, until \d{4}-\d\d-\d\dT\S+Z/);
    expect(out).toMatch(/11\. The same from another phone \(device-xyz\)/);
    expect(out).toContain('→ 422 device_not_bound: The link is bound to another device');
    expect(out).toMatch(/the refusal is recorded too, as debit dbt_\S+/);
    expect(out.trimEnd().split('\n').at(-1)).toBe(`Done: link ${outcome.linkId} is active.`);
    expect(outcome.dataDir && existsSync(outcome.dataDir)).toBe(false);
  });

  it('names the step that failed, exits non-zero and still removes its data folder', async () => {
    // A service that is ready but refuses every token.
    const refusing = join(fakes, 'refusing-service.js');
    writeFileSync(
      refusing,
      `require('node:http').createServer((request, response) => {
        const ready = request.url === '/health/ready';
        response.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
        response.end(ready ? '{}' : JSON.stringify({ code: 'unavailable', detail: 'down for the test' }));
      }).listen(Number(process.env.PORT), process.env.HOST);`,
    );
    const { io, demoIo } = capturedIo();
    const outcome = await runDemo(demoIo, { serviceMain: refusing });

    expect(outcome.exitCode).toBe(1);
    expect(io.err).toContain('demo failed at step 1, the app token: POST /oauth/token answered 503 unavailable');
    expect(io.out).not.toContain('Done');
    expect(outcome.dataDir && existsSync(outcome.dataDir)).toBe(false);
  });

  it('says so when the service stops before it is ready', async () => {
    const crashing = join(fakes, 'crashing-service.js');
    writeFileSync(crashing, `process.stderr.write('no store for you\\n'); process.exit(3);`);
    const { io, demoIo } = capturedIo();
    const outcome = await runDemo(demoIo, { serviceMain: crashing });

    expect(outcome.exitCode).toBe(1);
    expect(io.err).toContain(
      'demo failed at step starting the service: the service exited (code 3) before it was ready',
    );
    expect(io.err).toContain('no store for you');
    expect(outcome.dataDir && existsSync(outcome.dataDir)).toBe(false);
  });
});
