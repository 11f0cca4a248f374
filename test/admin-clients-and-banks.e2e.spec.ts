import { randomBytes, randomUUID } from 'node:crypto';
import { generateEd25519WebhookKeyPair } from '@lib/platform/webhooks/webhook-key-generation';
import { signWebhook } from '@lib/platform/webhooks/sign-webhook';
import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';

const POLICY = {
  customerNotifiedBy: 'service',
  coolingOffMinutes: 0,
  customerConfirmationRequired: false,
  phishingResistantFactorRequired: false,
};

const linkRequest = (bankCode: string) => ({
  customer: { reference: `user-${randomUUID()}` },
  ekyc: {
    method: 'jpki',
    verifiedAt: '2026-11-20T10:00:00Z',
    name: { kanji: '山田 太郎', kana: 'ヤマダ タロウ' },
    birthDate: '1990-01-02',
    phone: '090-1234-5678',
  },
  bankAccount: {
    bankCode,
    branchCode: '001',
    type: 'ordinary',
    number: String(1_000_000 + Math.floor(Math.random() * 8_999_999)),
  },
  device: { id: 'device-abc' },
});

describe.each(STORES)('registering clients, banks and webhook keys through the admin API, on %s', (store) => {
  let service: ServiceUnderTest;
  let operator: string;
  let app: string;
  let investigator: string;

  beforeAll(async () => {
    service = await startService(store);
    operator = await service.token('sandbox-operator');
    app = await service.token('sandbox-app');
    investigator = await service.token('sandbox-investigator');
  });
  afterAll(async () => {
    await service?.close();
  });

  const send = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object, token = operator) =>
    service.app.inject({
      method,
      url,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(payload ? { 'content-type': 'application/json' } : {}),
      },
      ...(payload ? { payload } : {}),
    });

  const tokenFor = (clientId: string, secret: string) =>
    service.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: secret,
      }).toString(),
    });

  const requestLink = async (bankCode: string): Promise<string> => {
    const response = await service.app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: { authorization: `Bearer ${app}`, 'content-type': 'application/json' },
      payload: linkRequest(bankCode),
    });
    expect(response.statusCode).toBe(201);
    return response.json().id;
  };

  const authenticationFailed = (linkId: string) => ({
    type: 'authentication.failed',
    data: { linkId, reason: 'the customer gave up' },
  });

  const sendEd25519 = (bankCode: string, body: object, privateKey: string) => {
    const raw = JSON.stringify(body);
    return service.app.inject({
      method: 'POST',
      url: `/v1/banks/${bankCode}/events`,
      headers: {
        ...signWebhook({
          id: `msg_${randomUUID()}`,
          timestamp: new Date(),
          body: raw,
          key: { kind: 'ed25519', privateKey },
        }),
        'content-type': 'application/json',
      },
      payload: raw,
    });
  };

  describe('clients', () => {
    it('registers a payment app with a generated secret, shown once, that gets tokens until the client is disabled', async () => {
      const created = await send('POST', '/v1/admin/clients', {
        clientId: 'wallet-pay',
        role: 'payment_app',
        displayName: 'Wallet Pay',
      });
      expect(created.statusCode).toBe(201);
      expect(created.headers['cache-control']).toBe('no-store');
      const body = created.json();
      expect(body).toMatchObject({
        clientId: 'wallet-pay',
        role: 'payment_app',
        scopes: ['links:write', 'links:read'],
        displayName: 'Wallet Pay',
        disabledAt: null,
      });
      expect(body.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const token = await tokenFor('wallet-pay', body.secret);
      expect(token.statusCode).toBe(200);
      expect(token.json().scope).toBe('links:write links:read');

      const again = await send('POST', '/v1/admin/clients', {
        clientId: 'wallet-pay',
        role: 'payment_app',
        displayName: 'Someone else',
      });
      expect(again.statusCode).toBe(409);
      expect(again.headers['content-type']).toContain('application/problem+json');
      expect(again.json().code).toBe('client_exists');

      const disabled = await send('DELETE', '/v1/admin/clients/wallet-pay');
      expect(disabled.statusCode).toBe(200);
      expect(disabled.json().disabledAt).toEqual(expect.any(String));
      expect(disabled.json().secret).toBeUndefined();
      expect((await tokenFor('wallet-pay', body.secret)).statusCode).toBe(401);
      // Disabling again changes nothing and records nothing.
      const typesBefore = await service.eventTypesOf('admin-audit');
      expect((await send('DELETE', '/v1/admin/clients/wallet-pay')).statusCode).toBe(200);
      expect(await service.eventTypesOf('admin-audit')).toEqual(typesBefore);
      expect(typesBefore.slice(-2)).toEqual(['ClientRegistered', 'ClientDisabled']);
    });

    it('takes a given secret and does not send it back; an investigator client gets its scope', async () => {
      const secret = randomBytes(24).toString('base64url');
      const created = await send('POST', '/v1/admin/clients', {
        clientId: 'fsa-investigations',
        role: 'investigator',
        displayName: 'Fraud desk',
        secret,
      });
      expect(created.statusCode).toBe(201);
      expect(created.json().secret).toBeUndefined();
      expect(created.json().scopes).toEqual(['investigations:read']);
      expect((await tokenFor('fsa-investigations', secret)).statusCode).toBe(200);
    });

    it('binds a bank client to a registered bank by its id, bank-<code>', async () => {
      expect((await send('PUT', '/v1/admin/banks/0310', { name: 'GMO Bank', policy: POLICY })).statusCode).toBe(201);
      const created = await send('POST', '/v1/admin/clients', {
        clientId: 'bank-0310',
        role: 'bank',
        displayName: 'GMO Bank support',
      });
      expect(created.statusCode).toBe(201);
      const token = (await tokenFor('bank-0310', created.json().secret)).json().access_token;
      expect((await send('GET', '/v1/banks/0310/links/counts', undefined, token)).statusCode).toBe(200);
      expect((await send('GET', '/v1/banks/9900/links/counts', undefined, token)).statusCode).toBe(403);

      const misnamed = await send('POST', '/v1/admin/clients', { clientId: 'gmo', role: 'bank', displayName: 'x' });
      expect(misnamed.statusCode).toBe(400);
      expect(misnamed.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'clientId' }] });
      const posing = await send('POST', '/v1/admin/clients', {
        clientId: 'bank-0005',
        role: 'payment_app',
        displayName: 'x',
      });
      expect(posing.statusCode).toBe(400);
      const unknownBank = await send('POST', '/v1/admin/clients', {
        clientId: 'bank-0777',
        role: 'bank',
        displayName: 'x',
      });
      expect(unknownBank.statusCode).toBe(422);
      expect(unknownBank.json().code).toBe('unknown_bank');
    });

    it.each([
      ['a malformed client id', { clientId: 'no spaces', role: 'payment_app', displayName: 'x' }],
      ['an unknown role', { clientId: 'c1', role: 'admin', displayName: 'x' }],
      ['no display name', { clientId: 'c1', role: 'payment_app' }],
      ['a blank display name', { clientId: 'c1', role: 'payment_app', displayName: '   ' }],
      ['a short secret', { clientId: 'c1', role: 'payment_app', displayName: 'x', secret: 'short' }],
      ['an unknown field', { clientId: 'c1', role: 'payment_app', displayName: 'x', scopes: ['admin'] }],
      ['a number for a name', { clientId: 'c1', role: 'payment_app', displayName: 7 }],
    ])('refuses %s with 400 validation_failed and registers nothing', async (_, payload) => {
      const response = await send('POST', '/v1/admin/clients', payload);
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('validation_failed');
      expect((await send('DELETE', '/v1/admin/clients/c1')).statusCode).toBe(404);
    });

    it('says which client is unknown, and refuses to let an operator disable its own client', async () => {
      const unknown = await send('DELETE', '/v1/admin/clients/nobody');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('client_not_found');
      const self = await send('DELETE', '/v1/admin/clients/sandbox-operator');
      expect(self.statusCode).toBe(409);
      expect(self.json().code).toBe('cannot_disable_own_client');
    });
  });

  describe('banks and their webhook keys', () => {
    it('registers a bank and its policy, then changes the policy; GET shows policy, kill switch and keys', async () => {
      const created = await send('PUT', '/v1/admin/banks/0005', { name: 'みずほ銀行', policy: POLICY });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({
        bankCode: '0005',
        name: 'みずほ銀行',
        policy: POLICY,
        suspension: { suspended: false },
        webhookKeys: [],
      });
      const stricter = { ...POLICY, coolingOffMinutes: 60, phishingResistantFactorRequired: true };
      const updated = await send('PUT', '/v1/admin/banks/0005', { name: 'みずほ銀行', policy: stricter });
      expect(updated.statusCode).toBe(200);
      expect(updated.json().policy).toEqual(stricter);

      await send('POST', '/v1/admin/banks/0005/suspension', { reason: 'phishing wave' });
      const shown = await send('GET', '/v1/admin/banks/0005');
      expect(shown.statusCode).toBe(200);
      expect(shown.json()).toMatchObject({
        bankCode: '0005',
        policy: stricter,
        suspension: { suspended: true, reason: 'phishing wave', since: expect.any(String) },
      });
      await send('DELETE', '/v1/admin/banks/0005/suspension');
      expect((await send('GET', '/v1/admin/banks/0005')).json().suspension).toEqual({ suspended: false });

      const audit = await service.eventTypesOf('bank-registry-0005');
      expect(audit.filter((type) => type.startsWith('Bank'))).toEqual(
        expect.arrayContaining(['BankRegistered', 'BankUpdated']),
      );
    });

    it('rotates keys: a generated HMAC key verifies, then an Ed25519 one is added and the old one ended', async () => {
      expect((await send('PUT', '/v1/admin/banks/0123', { name: 'Rotation Bank', policy: POLICY })).statusCode).toBe(
        201,
      );
      const hmac = await send('POST', '/v1/admin/banks/0123/webhook-keys', { keyId: 'hmac-1', kind: 'hmac' });
      expect(hmac.statusCode).toBe(201);
      expect(hmac.headers['cache-control']).toBe('no-store');
      const secret: string = hmac.json().secret;
      expect(secret).toMatch(/^whsec_/);
      expect(hmac.json()).toMatchObject({ bankCode: '0123', keyId: 'hmac-1', kind: 'hmac', validNow: true });

      const first = await requestLink('0123');
      expect((await service.sendBankEvent(authenticationFailed(first), { bankCode: '0123', secret })).statusCode).toBe(
        204,
      );

      const pair = generateEd25519WebhookKeyPair();
      const ed = await send('POST', '/v1/admin/banks/0123/webhook-keys', {
        keyId: 'ed-2',
        kind: 'ed25519',
        publicKey: pair.publicKey,
      });
      expect(ed.statusCode).toBe(201);
      expect(ed.json().secret).toBeUndefined();

      const ended = await send('PATCH', '/v1/admin/banks/0123/webhook-keys/hmac-1', {
        notAfter: new Date(Date.now() - 1000).toISOString(),
      });
      expect(ended.statusCode).toBe(200);
      expect(ended.json()).toMatchObject({ keyId: 'hmac-1', validNow: false, notAfter: expect.any(String) });

      const second = await requestLink('0123');
      const withOld = await service.sendBankEvent(authenticationFailed(second), { bankCode: '0123', secret });
      expect(withOld.statusCode).toBe(401);
      expect((await sendEd25519('0123', authenticationFailed(second), pair.privateKey)).statusCode).toBe(204);

      const shown = await send('GET', '/v1/admin/banks/0123');
      expect(shown.json().webhookKeys).toEqual([
        expect.objectContaining({ keyId: 'hmac-1', kind: 'hmac', validNow: false }),
        expect.objectContaining({ keyId: 'ed-2', kind: 'ed25519', validNow: true, notAfter: null }),
      ]);
      // Key material never leaves the service, and the audit never holds it.
      expect(shown.body).not.toContain(secret);
      expect(shown.body).not.toContain(pair.publicKey);
      expect(shown.body).not.toMatch(/whsec_|whpk_/);
      const audit = await service.eventTypesOf('bank-registry-0123');
      expect(audit).toEqual(
        expect.arrayContaining(['BankWebhookKeyAdded', 'BankWebhookKeyAdded', 'BankWebhookKeyValidityChanged']),
      );
    });

    it('keeps a given HMAC secret, does not echo it, and never stores a secret in the clear', async () => {
      await send('PUT', '/v1/admin/banks/0150', { name: 'Given Secret Bank', policy: POLICY });
      const secret = `whsec_${randomBytes(32).toString('base64')}`;
      const added = await send('POST', '/v1/admin/banks/0150/webhook-keys', {
        keyId: 'given',
        kind: 'hmac',
        secret,
        notBefore: '2026-01-01T00:00:00Z',
      });
      expect(added.statusCode).toBe(201);
      expect(added.body).not.toContain(secret);
      expect(added.json().notBefore).toBe('2026-01-01T00:00:00.000Z');
      const clientSecret = (
        await send('POST', '/v1/admin/clients', { clientId: 'scan-app', role: 'payment_app', displayName: 'Scan' })
      ).json().secret;

      const dump = await service.dumpDatabase();
      expect(dump).not.toContain(secret.slice('whsec_'.length));
      expect(dump).not.toContain(clientSecret);
    });

    it.each([
      ['a malformed bank code', '/v1/admin/banks/12345', { name: 'x', policy: POLICY }],
      ['no policy', '/v1/admin/banks/0200', { name: 'x' }],
      ['a policy that is an array', '/v1/admin/banks/0200', { name: 'x', policy: [] }],
      ['a blank name', '/v1/admin/banks/0200', { name: ' ', policy: POLICY }],
      ['an unknown notifier', '/v1/admin/banks/0200', { name: 'x', policy: { ...POLICY, customerNotifiedBy: 'app' } }],
      ['a negative cooling-off', '/v1/admin/banks/0200', { name: 'x', policy: { ...POLICY, coolingOffMinutes: -1 } }],
      [
        'a fractional cooling-off',
        '/v1/admin/banks/0200',
        { name: 'x', policy: { ...POLICY, coolingOffMinutes: 1.5 } },
      ],
      [
        'a string for a flag',
        '/v1/admin/banks/0200',
        { name: 'x', policy: { ...POLICY, customerConfirmationRequired: 'true' } },
      ],
      ['an unknown policy field', '/v1/admin/banks/0200', { name: 'x', policy: { ...POLICY, limitYen: 1 } }],
      [
        'a missing flag',
        '/v1/admin/banks/0200',
        { name: 'x', policy: { ...POLICY, phishingResistantFactorRequired: undefined } },
      ],
    ])('refuses to register a bank with %s (400 validation_failed)', async (_, url, payload) => {
      const response = await send('PUT', url, payload);
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('validation_failed');
      expect((await send('GET', '/v1/admin/banks/0200')).statusCode).toBe(404);
    });

    it.each([
      ['a malformed HMAC secret', { keyId: 'k', kind: 'hmac', secret: 'whsec_not base64!' }, 'secret'],
      [
        'a too short HMAC secret',
        { keyId: 'k', kind: 'hmac', secret: `whsec_${Buffer.alloc(8).toString('base64')}` },
        'secret',
      ],
      [
        'a public key on an HMAC key',
        { keyId: 'k', kind: 'hmac', publicKey: generateEd25519WebhookKeyPair().publicKey },
        'publicKey',
      ],
      ['an Ed25519 key without its public key', { keyId: 'k', kind: 'ed25519' }, 'publicKey'],
      ['an Ed25519 key with a secret', { keyId: 'k', kind: 'ed25519', secret: 'whsec_x', publicKey: 'x' }, 'secret'],
      ['an Ed25519 public key that is not one', { keyId: 'k', kind: 'ed25519', publicKey: 'whpk_AAAA' }, 'publicKey'],
      [
        'a private key given as the public key',
        { keyId: 'k', kind: 'ed25519', publicKey: generateEd25519WebhookKeyPair().privateKey },
        'publicKey',
      ],
      ['an unknown kind', { keyId: 'k', kind: 'rsa' }, 'kind'],
      ['a malformed key id', { keyId: '../k', kind: 'hmac' }, 'keyId'],
      ['a time without a zone', { keyId: 'k', kind: 'hmac', notAfter: '2027-01-01T00:00:00' }, 'notAfter'],
      [
        'an end before the start',
        { keyId: 'k', kind: 'hmac', notBefore: '2027-01-01T00:00:00Z', notAfter: '2026-01-01T00:00:00Z' },
        'notAfter',
      ],
    ])('refuses a webhook key with %s (400 validation_failed, naming the field)', async (_, payload, field) => {
      await send('PUT', '/v1/admin/banks/0160', { name: 'Key Checks Bank', policy: POLICY });
      const response = await send('POST', '/v1/admin/banks/0160/webhook-keys', payload);
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('validation_failed');
      expect(response.json().errors.map((error: { field: string }) => error.field)).toContain(field);
      expect((await send('GET', '/v1/admin/banks/0160')).json().webhookKeys).toEqual([]);
    });

    it('answers 404 for an unknown bank or key, 409 for a key id taken, 400 for a bad end of validity', async () => {
      const noBank = await send('POST', '/v1/admin/banks/0999/webhook-keys', { keyId: 'k', kind: 'hmac' });
      expect(noBank.statusCode).toBe(404);
      expect(noBank.json().code).toBe('unknown_bank');
      expect((await send('GET', '/v1/admin/banks/0999')).json().code).toBe('unknown_bank');
      expect((await send('GET', '/v1/admin/banks/abc')).statusCode).toBe(400);

      await send('PUT', '/v1/admin/banks/0170', { name: 'Taken Key Bank', policy: POLICY });
      expect((await send('POST', '/v1/admin/banks/0170/webhook-keys', { keyId: 'k1', kind: 'hmac' })).statusCode).toBe(
        201,
      );
      const taken = await send('POST', '/v1/admin/banks/0170/webhook-keys', { keyId: 'k1', kind: 'hmac' });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().code).toBe('webhook_key_exists');

      const noKey = await send('PATCH', '/v1/admin/banks/0170/webhook-keys/k9', { notAfter: '2027-01-01T00:00:00Z' });
      expect(noKey.statusCode).toBe(404);
      expect(noKey.json().code).toBe('webhook_key_not_found');
      const badTime = await send('PATCH', '/v1/admin/banks/0170/webhook-keys/k1', { notAfter: 'tomorrow' });
      expect(badTime.statusCode).toBe(400);
      expect((await send('PATCH', '/v1/admin/banks/0170/webhook-keys/k1', {})).statusCode).toBe(400);
    });

    it('takes JSON bodies only', async () => {
      const response = await service.app.inject({
        method: 'PUT',
        url: '/v1/admin/banks/0180',
        headers: { authorization: `Bearer ${operator}`, 'content-type': 'text/plain' },
        payload: 'name=x',
      });
      expect(response.statusCode).toBe(415);
    });
  });

  describe('who may call', () => {
    const endpoints: [string, 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', string, object | undefined][] = [
      ['register a client', 'POST', '/v1/admin/clients', { clientId: 'x1', role: 'payment_app', displayName: 'x' }],
      ['disable a client', 'DELETE', '/v1/admin/clients/sandbox-app', undefined],
      ['register a bank', 'PUT', '/v1/admin/banks/0400', { name: 'x', policy: POLICY }],
      ['show a bank', 'GET', '/v1/admin/banks/9900', undefined],
      ['add a webhook key', 'POST', '/v1/admin/banks/9900/webhook-keys', { keyId: 'x', kind: 'hmac' }],
      [
        'end a webhook key',
        'PATCH',
        '/v1/admin/banks/9900/webhook-keys/sandbox-hmac-1',
        { notAfter: '2020-01-01T00:00:00Z' },
      ],
    ];

    it.each(endpoints)('%s: 401 without a token, 403 for an app or an investigator', async (_, method, url, body) => {
      const anonymous = await send(method, url, body, '');
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json().code).toBe('unauthorized');
      for (const token of [app, investigator]) {
        const refused = await send(method, url, body, token);
        expect(refused.statusCode).toBe(403);
        expect(refused.json().code).toBe('forbidden');
      }
      // Nothing changed: the sandbox app still gets tokens, Sandbox Bank keeps its key.
      expect((await tokenFor('sandbox-app', service.secrets.app)).statusCode).toBe(200);
      expect((await send('GET', '/v1/admin/banks/9900')).json().webhookKeys).toEqual([
        expect.objectContaining({ keyId: 'sandbox-hmac-1', validNow: true }),
      ]);
    });
  });
});
