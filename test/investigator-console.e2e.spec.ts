import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page, type Request } from 'playwright-core';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { eventually } from './support/eventually';
import { aLinkRequest } from './support/link-request';
import { type ServiceUnderTest, startService } from './support/service-under-test';

const ROOT = join(__dirname, '..');

// Debian's Chromium (`apt-get install chromium`; .ci/run installs it), never a downloaded browser. As root it
// needs --no-sandbox; the rest keep it from calling out to the network on its own.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface InvestigatedEvent {
  type: string;
  recordedAt: string;
  data: { fields?: { field: string; result: string }[] };
  metadata: { actor: { type: string; id: string } };
}

/**
 * API.md "Investigator console (web)", in a real browser: the page `npm run build` makes, served by the service
 * under /console on a real port, signed in to with the sandbox investigator, reading a link driven to active
 * through Sandbox Bank. One store: what is under test is the page; the API under it is tested on both.
 */
describe('the investigator console, in headless Chromium', () => {
  const temp = mkdtempSync(join(tmpdir(), 'kouza-link-console-'));
  let service: ServiceUnderTest;
  let baseUrl: string;
  let browser: BrowserContext;
  let appToken: string;
  let link: { id: string; device: string; reference: string; account: string };

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, bearer = appToken) =>
    service.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${bearer}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { payload } : {}),
    });

  const anActiveLink = async () => {
    const device = `device-${randomUUID()}`;
    const request = aLinkRequest({ device });
    const created = await call('POST', '/v1/links', request);
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    await call('POST', '/v1/sandbox/banks/9900/authentications', { linkId: id, scenario: 'success' });
    await eventually(async () => expect((await call('GET', `/v1/links/${id}`)).json().status).toBe('active'));
    const { bankCode, branchCode, type, number } = request.bankAccount;
    return {
      id,
      device,
      reference: request.customer.reference,
      account: `${bankCode}-${branchCode}-${type}-${number}`,
    };
  };

  const investigatorEvents = async (linkId: string): Promise<InvestigatedEvent[]> => {
    const investigator = await service.token('sandbox-investigator');
    const response = await service.app.inject({
      method: 'GET',
      url: `/v1/investigations/links/${linkId}/events`,
      headers: { authorization: `Bearer ${investigator}`, 'x-investigation-case': 'CASE-TEST-SETUP' },
    });
    return response.json().events;
  };

  beforeAll(async () => {
    // The console as `npm run build` makes it, into a temporary folder (never into the repository).
    const consoleDir = join(temp, 'console');
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        'apps/console/vite.config.mts',
        '--outDir',
        consoleDir,
      ],
      { cwd: ROOT, stdio: 'pipe' },
    );
    service = await startService('embedded PGlite', { processes: 'running', consoleDir });
    await service.app.listen(0, '127.0.0.1');
    baseUrl = (await service.app.getUrl()).replace('[::1]', '127.0.0.1');
    appToken = await service.token();
    link = await anActiveLink();
    browser = await chromium.launchPersistentContext(join(temp, 'user-data'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await service?.close();
    rmSync(temp, { recursive: true, force: true });
  });

  const openConsole = async (): Promise<Page> => {
    const page = await browser.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${baseUrl}/console`);
    return page;
  };

  const signIn = async (page: Page, caseId: string, secret = service.secrets.investigator) => {
    await page.getByLabel('Client ID').fill('sandbox-investigator');
    await page.getByLabel('Client secret').fill(secret);
    await page.getByLabel('Case').fill(caseId);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  const search = async (page: Page, term: string) => {
    await page.getByLabel('Search').fill(term);
    await page.getByRole('button', { name: 'Search' }).click();
  };

  it('is served under /console with a CSP that allows only its own script, style and origin', async () => {
    const bare = await service.app.inject({ method: 'GET', url: '/console' });
    expect({ status: bare.statusCode, location: bare.headers.location }).toEqual({
      status: 301,
      location: '/console/',
    });
    const page = await service.app.inject({ method: 'GET', url: '/console/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    // Every script is a file of the build: nothing inline, nothing from another origin.
    const scripts = [...page.body.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toMatch(/src="\/console\/assets\/[^"]+\.js"/);
    expect(page.body).not.toMatch(/https?:\/\//);
  });

  it('refuses to sign in without a case id, before asking for any token', async () => {
    const page = await openConsole();
    const tokenRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/oauth/token')) tokenRequests.push(request.url());
    });
    await signIn(page, '');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Case is required');
    await expect(page.getByLabel('Case').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByLabel('Search').count()).resolves.toBe(0);
    expect(tokenRequests).toEqual([]);
    await page.close();
  });

  it("shows the service's refusal of a wrong secret and stays signed out", async () => {
    const page = await openConsole();
    await signIn(page, 'CASE-WRONG-SECRET', 'not-the-secret');
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/Sign-in refused.*invalid_client/);
    await expect(page.getByLabel('Search').count()).resolves.toBe(0);
    await page.close();
  });

  it("signs in, finds a link by its id and shows its timeline in order with time, type, actor and the KYC match's fields", async () => {
    const caseId = `CASE-${randomUUID().slice(0, 8)}`;
    const page = await openConsole();
    const reads: Request[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/v1/investigations/')) reads.push(request);
    });
    await signIn(page, caseId);
    await page.getByText(`for case ${caseId}`).waitFor();
    await search(page, link.id);

    const expected = await investigatorEvents(link.id);
    const timeline = page.locator('table.timeline').first();
    await timeline.waitFor();
    const rows = timeline.locator(':scope > tbody > tr');
    await expect(rows.count()).resolves.toBe(expected.length);
    expect(await timeline.locator('td.event-type code').allTextContents()).toEqual(expected.map((event) => event.type));
    expect(expected.map((event) => event.type)).toEqual(
      expect.arrayContaining(['LinkRequested', 'KycMatched', 'LinkActivated']),
    );
    for (const [index, event] of expected.entries()) {
      const row = rows.nth(index);
      await expect(row.locator('td.event-time time').getAttribute('datetime')).resolves.toBe(event.recordedAt);
      await expect(row.locator('td.event-actor').textContent()).resolves.toBe(
        `${event.metadata.actor.type} ${event.metadata.actor.id}`,
      );
    }

    // The per-field outcome, as the KycMatched event records it.
    const kyc = expected.find((event) => event.type === 'KycMatched');
    const fields = kyc?.data.fields ?? [];
    expect(fields.length).toBeGreaterThan(0);
    const kycTable = rows.nth(expected.indexOf(kyc as InvestigatedEvent)).locator('table.kyc');
    for (const { field, result } of fields) {
      await expect(
        kycTable.locator('tr', { has: page.locator(`th:text-is("${field}")`) }).textContent(),
      ).resolves.toContain(result.replace('_', ' '));
    }
    await expect(page.getByTestId('state-now').locator('.status').textContent()).resolves.toBe('active');

    // Every read went through the audited API, with the case the investigator signed in for.
    expect(reads.length).toBeGreaterThanOrEqual(2);
    for (const read of reads) expect(read.headers()['x-investigation-case']).toBe(caseId);
    const audit = await service.app.get<EventStore>(EVENT_STORE).readStream('audit-investigations');
    const forCase = audit.filter((event) => (event.data as { caseId: string }).caseId === caseId);
    expect(forCase.map((event) => (event.data as { read: { record: string } }).read.record).sort()).toEqual([
      'link_events',
      'link_state',
    ]);

    const screenshot = join(temp, 'console-timeline.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(statSync(screenshot).size).toBeGreaterThan(10_000);
    await page.close();
  });

  it('shows with As of the state the link had at an earlier instant', async () => {
    const page = await openConsole();
    await signIn(page, `CASE-${randomUUID().slice(0, 8)}`);
    await search(page, link.id);
    await page.getByTestId('state-now').waitFor();
    const [requested] = await investigatorEvents(link.id);
    expect(requested?.type).toBe('LinkRequested');

    await page.getByLabel('As of').fill(requested?.recordedAt ?? '');
    await page.getByRole('button', { name: 'Show state' }).click();
    const asOf = page.getByTestId('state-as-of');
    await expect(asOf.locator('.status').textContent()).resolves.toBe('awaiting_bank_authentication');
    await expect(asOf.locator('time').first().getAttribute('datetime')).resolves.toBe(requested?.recordedAt);
    await expect(page.getByTestId('state-now').locator('.status').textContent()).resolves.toBe('active');

    await page.getByLabel('As of').fill('2020-01-01T00:00:00Z');
    await page.getByRole('button', { name: 'Show state' }).click();
    // The earlier answer stays on the page until the new one arrives: wait for it before reading.
    await asOf.getByText('did not exist yet').waitFor();
    await expect(asOf.textContent()).resolves.toContain('did not exist yet');

    await page.getByLabel('As of').fill('yesterday');
    await page.getByRole('button', { name: 'Show state' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('ISO 8601');
    await page.close();
  });

  it("asks for the link's evidence bundle with the case and either saves it or says it is not offered", async () => {
    const caseId = `CASE-${randomUUID().slice(0, 8)}`;
    const page = await openConsole();
    await signIn(page, caseId);
    await search(page, link.id);
    const button = page.getByRole('button', { name: 'Download evidence bundle' });
    await button.waitFor();
    const [request] = await Promise.all([
      page.waitForRequest((sent) => sent.url().endsWith(`/v1/investigations/links/${link.id}/evidence`)),
      button.click(),
    ]);
    expect(request.headers()['x-investigation-case']).toBe(caseId);
    const response = await request.response();
    if (response?.status() === 200) {
      await page
        .getByRole('status')
        .filter({ hasText: `evidence-${link.id}.json` })
        .waitFor();
    } else {
      expect(response?.status()).toBe(404);
      await expect(page.getByRole('alert').textContent()).resolves.toContain('evidence bundle');
    }
    await page.close();
  });

  it('finds the link from its device, its customer reference and its account, and opens it from there', async () => {
    const page = await openConsole();
    await signIn(page, `CASE-${randomUUID().slice(0, 8)}`);

    await search(page, link.device);
    const byDevice = page.locator('table.links', { hasText: `Links from device ${link.device}` });
    await byDevice.getByRole('button', { name: link.id }).waitFor();

    await search(page, link.reference);
    const byCustomer = page.locator('table.links', { hasText: `Links of customer reference ${link.reference}` });
    await byCustomer.getByRole('button', { name: link.id }).waitFor();

    await search(page, link.account);
    const attempts = page.locator('table.links', { hasText: 'Every attempt on account' });
    await expect(attempts.locator('tbody tr').first().textContent()).resolves.toContain('active');

    await attempts.getByRole('button', { name: link.id }).click();
    await expect(page.getByTestId('state-now').locator('.status').textContent()).resolves.toBe('active');
    await page.close();
  });

  it('labels every field, is usable from the keyboard alone and reflows at 200 % zoom', async () => {
    const page = await openConsole();
    const unlabelled = () =>
      page.evaluate<string[]>(
        "[...document.querySelectorAll('input, select, textarea')].filter((field) => field.labels.length === 0).map((field) => field.outerHTML)",
      );
    expect(await unlabelled()).toEqual([]);

    // Keyboard only: the fields in order, Enter to sign in, then Search.
    await page.getByLabel('Client ID').focus();
    await page.keyboard.type('sandbox-investigator');
    await page.keyboard.press('Tab');
    await page.keyboard.type(service.secrets.investigator);
    await page.keyboard.press('Tab');
    await page.keyboard.type('CASE-KEYBOARD');
    await page.keyboard.press('Enter');
    await page.getByLabel('Search').waitFor();
    await page.getByLabel('Search').focus();
    await page.keyboard.type(link.id);
    await page.keyboard.press('Enter');
    await page.getByTestId('state-now').waitFor();
    expect(await unlabelled()).toEqual([]);
    // The link's heading takes the focus, so a screen reader lands on what was found.
    // (Page scripts as strings: the tests' TypeScript has no DOM library.)
    await expect(page.evaluate('document.activeElement?.id')).resolves.toBe('link-heading');

    // 200 % zoom of a 1280-pixel window is a 640-pixel-wide layout: nothing may need sideways scrolling.
    await page.setViewportSize({ width: 640, height: 900 });
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('keeps the token in memory only: nothing in storage or cookies, and a reload signs out', async () => {
    const page = await openConsole();
    await signIn(page, 'CASE-MEMORY');
    await page.getByLabel('Search').waitFor();
    const stored = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }));
    expect(stored).toEqual({ local: 0, session: 0 });
    await expect(browser.cookies()).resolves.toEqual([]);
    await page.reload();
    await page.getByLabel('Client ID').waitFor();
    await expect(page.getByLabel('Search').count()).resolves.toBe(0);
    await page.close();
  });

  it('signs an operator in without a case, lifts a blocked device with a reason, and suspends and lifts bank 9900', async () => {
    const operator = await service.token('sandbox-operator');
    // Three failing accounts from one device block it (R8), as test/actor-defences.e2e.spec.ts drives it.
    const device = `attacker-${randomUUID()}`;
    for (let attempt = 0; attempt < 3; attempt++) {
      const created = await call('POST', '/v1/links', aLinkRequest({ device }));
      expect(created.statusCode).toBe(201);
      const failed = await service.sendBankEvent({
        type: 'authentication.failed',
        data: { linkId: created.json().id, reason: 'wrong PIN' },
      });
      expect([204, 409]).toContain(failed.statusCode);
    }
    type Block = { id: string; actor: { key: string }; accountsTried: number; liftedAt?: string; liftReason?: string };
    const blockOf = async (active: boolean): Promise<Block | undefined> => {
      const listed = await call('GET', `/v1/admin/actor-blocks${active ? '?active=true' : ''}`, undefined, operator);
      return (listed.json().items as Block[]).find((block) => block.actor.key === device);
    };
    await eventually(async () => expect(await blockOf(true)).toBeDefined());
    const block = (await blockOf(true)) as Block;

    const page = await openConsole();
    const tokenRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/oauth/token')) tokenRequests.push(request.postData() ?? '');
    });
    await page.getByLabel('Operator').check();
    await expect(page.getByLabel('Case').count()).resolves.toBe(0);
    await page.getByLabel('Client ID').fill('sandbox-operator');
    await page.getByLabel('Client secret').fill(service.secrets.operator);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as sandbox-operator').waitFor();
    expect(tokenRequests.map((body) => new URLSearchParams(body).get('scope'))).toEqual(['admin']);

    // Actor blocks: the device's block in force, with what the API says of it; Lift asks for a reason.
    const row = page.locator('table.blocks tbody tr', { hasText: device });
    await row.waitFor();
    await expect(row.locator('td.accounts-tried').textContent()).resolves.toBe(String(block.accountsTried));
    await expect(row.locator('td.standing').textContent()).resolves.toContain('in force');
    const unlabelled = () =>
      page.evaluate<string[]>(
        "[...document.querySelectorAll('input, select, textarea')].filter((field) => field.labels.length === 0).map((field) => field.outerHTML)",
      );
    expect(await unlabelled()).toEqual([]);
    await row.getByRole('button', { name: 'Lift' }).click();
    // The reason field takes the focus; an empty reason is refused before any request.
    await page.waitForFunction("document.activeElement?.id === 'lift-reason'");
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('A reason is required');
    await page.getByLabel('Reason for lifting').focus();
    await page.keyboard.type('the customer lost and found the phone');
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: `Lifted block ${block.id}` })
      .waitFor();
    await row.waitFor({ state: 'detached' });
    const lifted = await blockOf(false);
    expect(lifted).toMatchObject({ id: block.id, liftReason: 'the customer lost and found the phone' });
    expect(lifted?.liftedAt).toEqual(expect.any(String));
    // All blocks: the lifted one is there, lifted, with its reason.
    await page.getByLabel('In force only').uncheck();
    const liftedRow = page.locator('table.blocks tbody tr', { hasText: device });
    await expect(liftedRow.locator('td.standing').textContent()).resolves.toContain('the customer lost and found');
    await expect(liftedRow.getByRole('button', { name: 'Lift' }).count()).resolves.toBe(0);
    // At 200 % zoom (a 640-pixel layout) the blocks' table stacks instead of scrolling sideways.
    await page.setViewportSize({ width: 640, height: 900 });
    await expect(
      page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
    ).resolves.toBeLessThanOrEqual(0);

    // Bank suspensions: 9900's kill switch on, then off, each as the admin API then says.
    const suspension = page.getByTestId('bank-suspension');
    const bank9900 = async () =>
      (await call('GET', '/v1/admin/banks/9900', undefined, operator)).json().suspension as {
        suspended: boolean;
        reason?: string;
      };
    try {
      await page.getByLabel('Bank code').fill('9900');
      await page.getByRole('button', { name: 'Show bank' }).click();
      await expect(suspension.locator('.status').textContent()).resolves.toBe('not suspended');
      await page.getByLabel('Suspension reason').fill('console test: reverse brute force');
      await page.getByRole('button', { name: 'Suspend' }).click();
      await suspension.locator('.status', { hasText: /^suspended$/ }).waitFor();
      await expect(suspension.textContent()).resolves.toContain('console test: reverse brute force');
      await expect(bank9900()).resolves.toMatchObject({ suspended: true, reason: 'console test: reverse brute force' });
      const refused = await call('POST', '/v1/links', aLinkRequest());
      expect(refused.json().code).toBe('bank_suspended');

      await page.getByRole('button', { name: 'Lift suspension' }).click();
      await suspension.locator('.status', { hasText: 'not suspended' }).waitFor();
      await expect(bank9900()).resolves.toMatchObject({ suspended: false });
      expect(await unlabelled()).toEqual([]);
    } finally {
      await call('DELETE', '/v1/admin/banks/9900/suspension', undefined, operator);
      await page.close();
    }
  });
});
