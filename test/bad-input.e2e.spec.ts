import { randomBytes, randomUUID } from 'node:crypto';
import type { Response as InjectResponse } from 'light-my-request';
import { signWebhook } from '@lib/platform/webhooks/sign-webhook';
import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';

/** A request `POST /v1/links` accepts, on a fresh account number each time (one open link per account). */
const validLinkRequest = () => ({
  customer: { reference: `user-${randomUUID()}` },
  ekyc: {
    method: 'jpki',
    verifiedAt: '2026-11-20T10:00:00Z',
    name: { kanji: '山田 太郎', kana: 'ヤマダ タロウ' },
    birthDate: '1990-01-02',
    phone: '090-1234-5678',
    address: { postalCode: '100-0001', prefecture: '東京都', line: '千代田区千代田1-1' },
  },
  bankAccount: {
    bankCode: '9900',
    branchCode: '001',
    type: 'ordinary',
    number: String(1_000_000 + Math.floor(Math.random() * 8_999_999)),
  },
  device: { id: 'device-abc' },
});

const REMOVED = Symbol('removed');

/** The valid request with the value at a dotted path replaced (or removed). */
const linkRequestWith = (path: string, value: unknown): Record<string, unknown> => {
  const request: Record<string, unknown> = validLinkRequest();
  const keys = path.split('.');
  const last = keys.pop() as string;
  let parent = request;
  for (const key of keys) parent = parent[key] as Record<string, unknown>;
  if (value === REMOVED) delete parent[last];
  else parent[last] = value;
  return request;
};

/** `[[[…]]]`: valid JSON, well under the size limit, deeper than any walk by recursion survives. */
const deeplyNested = (levels = 100_000) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

const isoIn = (milliseconds: number) => new Date(Date.now() + milliseconds).toISOString();
const DAY = 24 * 60 * 60 * 1000;
const tomorrow = isoIn(DAY).slice(0, 10);

/** What Sandbox Bank holds for the customer of `validLinkRequest`. */
const authenticationSucceeded = (linkId: string) => ({
  type: 'authentication.succeeded',
  data: {
    linkId,
    methods: ['password', 'otp_sms'],
    holder: { name: { kanji: '山田 太郎', kana: 'ﾔﾏﾀﾞ ﾀﾛｳ' }, birthDate: '1990-01-02', phone: '09012345678' },
    contact: { email: 'taro@example.jp' },
    authenticatedAt: new Date().toISOString(),
  },
});

/** Bodies `POST /v1/links` must refuse with 400 validation_failed, naming the fields at fault. */
const INVALID_LINK_REQUESTS: [string, () => unknown, string[]][] = [
  ['an unknown top-level field', () => ({ ...validLinkRequest(), extra: 1 }), ['extra']],
  ['an unknown nested field', () => linkRequestWith('bankAccount.iban', 'JP00'), ['bankAccount.iban']],
  ['an unknown field two levels down', () => linkRequestWith('ekyc.name.romaji', 'Yamada'), ['ekyc.name.romaji']],
  ['an empty object', () => ({}), ['customer', 'bankAccount', 'device']],
  ['no customer', () => linkRequestWith('customer', REMOVED), ['customer']],
  ['no customer reference', () => linkRequestWith('customer.reference', REMOVED), ['customer.reference']],
  ['no bank account', () => linkRequestWith('bankAccount', REMOVED), ['bankAccount']],
  ['no account number', () => linkRequestWith('bankAccount.number', REMOVED), ['bankAccount.number']],
  ['no device id', () => linkRequestWith('device.id', REMOVED), ['device.id']],
  ['no eKYC verification time', () => linkRequestWith('ekyc.verifiedAt', REMOVED), ['ekyc.verifiedAt']],
  ['no eKYC name', () => linkRequestWith('ekyc.name', REMOVED), ['ekyc.name']],
  ['an empty eKYC object', () => linkRequestWith('ekyc', {}), ['ekyc']],
  ['a number as customer reference', () => linkRequestWith('customer.reference', 12345), ['customer.reference']],
  ['a number as account number', () => linkRequestWith('bankAccount.number', 1234567), ['bankAccount.number']],
  ['a number as bank code', () => linkRequestWith('bankAccount.bankCode', 9900), ['bankAccount.bankCode']],
  ['a number as eKYC time', () => linkRequestWith('ekyc.verifiedAt', 1_790_000_000), ['ekyc.verifiedAt']],
  ['a string as customer', () => linkRequestWith('customer', 'user-1'), ['customer']],
  ['null as bank account', () => linkRequestWith('bankAccount', null), ['bankAccount']],
  ['an empty array as bank account', () => linkRequestWith('bankAccount', []), ['bankAccount']],
  [
    'an array holding a valid bank account',
    () => linkRequestWith('bankAccount', [validLinkRequest().bankAccount]),
    ['bankAccount'],
  ],
  ['an array as customer', () => linkRequestWith('customer', [{ reference: 'user-1' }]), ['customer']],
  ['an array as device', () => linkRequestWith('device', [{ id: 'device-abc' }]), ['device']],
  ['an array as eKYC', () => linkRequestWith('ekyc', [validLinkRequest().ekyc]), ['ekyc']],
  ['an array as eKYC name', () => linkRequestWith('ekyc.name', []), ['ekyc.name']],
  ['an array as eKYC address', () => linkRequestWith('ekyc.address', []), ['ekyc.address']],
  ['an unknown account type', () => linkRequestWith('bankAccount.type', 'checking'), ['bankAccount.type']],
  ['a 5-digit bank code', () => linkRequestWith('bankAccount.bankCode', '12345'), ['bankAccount.bankCode']],
  ['a bank code with a letter', () => linkRequestWith('bankAccount.bankCode', '12a4'), ['bankAccount.bankCode']],
  ['an empty bank code', () => linkRequestWith('bankAccount.bankCode', ''), ['bankAccount.bankCode']],
  ['a full-width bank code', () => linkRequestWith('bankAccount.bankCode', '９９００'), ['bankAccount.bankCode']],
  ['a 2-digit branch code', () => linkRequestWith('bankAccount.branchCode', '01'), ['bankAccount.branchCode']],
  ['a 4-digit branch code', () => linkRequestWith('bankAccount.branchCode', '0001'), ['bankAccount.branchCode']],
  ['a 6-digit account number', () => linkRequestWith('bankAccount.number', '123456'), ['bankAccount.number']],
  ['an 8-digit account number', () => linkRequestWith('bankAccount.number', '12345678'), ['bankAccount.number']],
  ['an account number with a letter', () => linkRequestWith('bankAccount.number', '123456a'), ['bankAccount.number']],
  ['romaji in the kana field', () => linkRequestWith('ekyc.name.kana', 'Yamada'), ['ekyc.name.kana']],
  ['kanji in the kana field', () => linkRequestWith('ekyc.name.kana', '山田'), ['ekyc.name.kana']],
  ['a birth date in the future', () => linkRequestWith('ekyc.birthDate', tomorrow), ['ekyc.birthDate']],
  ['an impossible birth date', () => linkRequestWith('ekyc.birthDate', '1990-02-30'), ['ekyc.birthDate']],
  ['a birth date with slashes', () => linkRequestWith('ekyc.birthDate', '1990/01/02'), ['ekyc.birthDate']],
  ['an eKYC verification in the future', () => linkRequestWith('ekyc.verifiedAt', isoIn(DAY)), ['ekyc.verifiedAt']],
  ['an impossible eKYC time', () => linkRequestWith('ekyc.verifiedAt', '2026-02-30T10:00:00Z'), ['ekyc.verifiedAt']],
  ['an eKYC time that is not ISO 8601', () => linkRequestWith('ekyc.verifiedAt', 'yesterday'), ['ekyc.verifiedAt']],
  [
    'an eKYC time without an offset',
    () => linkRequestWith('ekyc.verifiedAt', '2026-11-20T10:00:00'),
    ['ekyc.verifiedAt'],
  ],
  ['an eKYC date without a time', () => linkRequestWith('ekyc.verifiedAt', '2026-11-20'), ['ekyc.verifiedAt']],
  [
    'a NUL in the customer reference',
    () => linkRequestWith('customer.reference', 'user\u0000-1'),
    ['customer.reference'],
  ],
  ['a NUL in the device id', () => linkRequestWith('device.id', 'device\u0000'), ['device.id']],
  [
    'an unpaired surrogate in the kanji name',
    () => linkRequestWith('ekyc.name.kanji', '山田 \ud800'),
    ['ekyc.name.kanji'],
  ],
  ['a NUL in a field name', () => ({ ...validLinkRequest(), 'device\u0000': 1 }), ['body']],
  [
    'a postal code that is not one',
    () => linkRequestWith('ekyc.address.postalCode', '1000'),
    ['ekyc.address.postalCode'],
  ],
];

/** Webhook bodies a correctly signed delivery must still have refused with 400, naming the fields at fault. */
const INVALID_BANK_EVENTS: [string, (linkId: string) => unknown, string, string[]][] = [
  ['an unknown event type', (linkId) => ({ type: 'authentication.maybe', data: { linkId } }), 'unknown_event_type', []],
  ['no type', (linkId) => ({ data: { linkId } }), 'validation_failed', ['type']],
  ['no data', () => ({ type: 'authentication.failed' }), 'validation_failed', ['data']],
  ['an array as data', () => ({ type: 'authentication.failed', data: [] }), 'validation_failed', ['data']],
  [
    'an unknown envelope field',
    (linkId) => ({ type: 'authentication.failed', data: { linkId, reason: 'x' }, x: 1 }),
    'validation_failed',
    ['x'],
  ],
  [
    'no data.linkId',
    () => ({ type: 'authentication.failed', data: { reason: 'wrong password' } }),
    'validation_failed',
    ['data.linkId'],
  ],
  [
    'a malformed data.linkId',
    () => ({ type: 'authentication.failed', data: { linkId: 'link-1', reason: 'x' } }),
    'validation_failed',
    ['data.linkId'],
  ],
  [
    'a number as data.linkId',
    () => ({ type: 'authentication.failed', data: { linkId: 42, reason: 'x' } }),
    'validation_failed',
    ['data.linkId'],
  ],
  [
    'an unknown authentication method',
    (linkId) => {
      const event = authenticationSucceeded(linkId);
      return { ...event, data: { ...event.data, methods: ['password', 'fingerprint'] } };
    },
    'validation_failed',
    ['data.methods'],
  ],
  [
    'no authentication methods',
    (linkId) => {
      const event = authenticationSucceeded(linkId);
      return { ...event, data: { ...event.data, methods: [] } };
    },
    'validation_failed',
    ['data.methods'],
  ],
  [
    'an array as holder',
    (linkId) => {
      const event = authenticationSucceeded(linkId);
      return { ...event, data: { ...event.data, holder: [event.data.holder] } };
    },
    'validation_failed',
    ['data.holder'],
  ],
  [
    'romaji as the holder kana',
    (linkId) => {
      const event = authenticationSucceeded(linkId);
      return { ...event, data: { ...event.data, holder: { ...event.data.holder, name: { kana: 'Yamada' } } } };
    },
    'validation_failed',
    ['data.holder.name.kana'],
  ],
  [
    'an unknown data field',
    (linkId) => ({ type: 'authentication.failed', data: { linkId, reason: 'x', score: 3 } }),
    'validation_failed',
    ['data.score'],
  ],
  [
    'a NUL in the failure reason',
    (linkId) => ({ type: 'authentication.failed', data: { linkId, reason: 'wrong\u0000password' } }),
    'validation_failed',
    ['data.reason'],
  ],
  [
    'an authentication time without an offset',
    (linkId) => {
      const event = authenticationSucceeded(linkId);
      return { ...event, data: { ...event.data, authenticatedAt: '2026-11-21T10:00:00' } };
    },
    'validation_failed',
    ['data.authenticatedAt'],
  ],
  ['an array as body', () => [1, 2], 'validation_failed', []],
  ['a string as body', () => 'authentication.failed', 'validation_failed', []],
  ['null as body', () => null, 'validation_failed', []],
];

describe.each(STORES)('bad input gets a clear error and changes nothing, on %s', (store) => {
  let service: ServiceUnderTest;
  let token: string;

  beforeAll(async () => {
    service = await startService(store);
    token = await service.token();
  });
  afterAll(async () => {
    await service?.close();
  });

  const storeCounts = async () => ({
    events: await service.countRows('es_events'),
    webhookReceipts: await service.countRows('webhook_receipts'),
  });

  const expectProblem = (response: InjectResponse, status: number, code: string) => {
    expect({ status: response.statusCode, code: response.json().code }).toEqual({ status, code });
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String) });
  };

  /** Sends the request and checks it is refused as told, leaving the store as it was. */
  const expectRefusedWithoutEffect = async (send: () => Promise<InjectResponse>, status: number, code: string) => {
    const before = await storeCounts();
    const response = await send();
    expectProblem(response, status, code);
    expect(await storeCounts()).toEqual(before);
    return response;
  };

  const expectFieldErrors = (response: InjectResponse, fields: string[]) => {
    const errors = response.json().errors as { field: string; message: string }[];
    expect(Array.isArray(errors)).toBe(true);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((error) => error.field)).toEqual(expect.arrayContaining(fields));
  };

  const postLink = (payload: unknown, headers: Record<string, string> = {}) =>
    service.app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  const getLink = (id: string, bearer = token) =>
    service.app.inject({ method: 'GET', url: `/v1/links/${id}`, headers: { authorization: `Bearer ${bearer}` } });

  const newLink = async (): Promise<string> => {
    const created = await postLink(validLinkRequest());
    expect(created.statusCode).toBe(201);
    return created.json().id;
  };

  describe('POST /v1/links', () => {
    it('takes the valid request these cases start from', async () => {
      const created = await postLink(validLinkRequest());
      expect(created.statusCode).toBe(201);
      expect(created.json().status).toBe('awaiting_bank_authentication');
    });

    it.each(INVALID_LINK_REQUESTS)(
      'refuses %s with 400 validation_failed naming the field',
      async (_, body, fields) => {
        const response = await expectRefusedWithoutEffect(() => postLink(body()), 400, 'validation_failed');
        expectFieldErrors(response, fields);
      },
    );

    it.each([
      ['as the whole body', deeplyNested()],
      ['in a field', `{"customer": ${deeplyNested()}}`],
    ])(
      'refuses JSON nested 100 000 levels deep %s with 400 validation_failed, with or without Idempotency-Key',
      async (_, raw) => {
        await expectRefusedWithoutEffect(() => postLink(raw), 400, 'validation_failed');
        await expectRefusedWithoutEffect(
          () => postLink(raw, { 'idempotency-key': randomUUID() }),
          400,
          'validation_failed',
        );
      },
    );

    it('leaves an account refused for text the store cannot hold free for the next, valid request', async () => {
      const request = validLinkRequest();
      const refused = structuredClone(request);
      refused.customer.reference = 'user\u0000-1';
      await expectRefusedWithoutEffect(() => postLink(refused), 400, 'validation_failed');
      expect((await postLink(request)).statusCode).toBe(201);
    });

    it.each([
      ['an unfinished object', '{"customer": {"reference": "user-1"},'],
      ['a single quote', "{'customer': 1}"],
      ['trailing garbage', '{}}'],
      ['an empty body', ''],
      ['a prototype-poisoning key', '{"__proto__": {"admin": true}, "customer": {"reference": "user-1"}}'],
    ])('refuses malformed JSON (%s) with 400 malformed_json', async (_, raw) => {
      await expectRefusedWithoutEffect(() => postLink(raw), 400, 'malformed_json');
    });

    it.each([
      ['an array', '[1, 2]'],
      ['a string', '"link please"'],
      ['a number', '42'],
      ['true', 'true'],
      ['null', 'null'],
    ])('refuses a JSON body that is not an object (%s) with 400 validation_failed', async (_, raw) => {
      await expectRefusedWithoutEffect(() => postLink(raw), 400, 'validation_failed');
    });

    it('refuses a body over 256 KB with 413 payload_too_large', async () => {
      const body = linkRequestWith('device.id', 'x'.repeat(300 * 1024));
      await expectRefusedWithoutEffect(() => postLink(body), 413, 'payload_too_large');
    });

    it.each([
      ['application/xml', '<link><customer>user-1</customer></link>'],
      ['text/plain', JSON.stringify(validLinkRequest())],
      ['application/x-www-form-urlencoded', 'customer[reference]=user-1&bankAccount[bankCode]=9900'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'],
    ])('refuses a %s body with 415 unsupported_media_type', async (contentType, raw) => {
      await expectRefusedWithoutEffect(
        () => postLink(raw, { 'content-type': contentType }),
        415,
        'unsupported_media_type',
      );
    });

    it('refuses a well-formed bank code of no participating bank with 422 unknown_bank', async () => {
      await expectRefusedWithoutEffect(
        () => postLink(linkRequestWith('bankAccount.bankCode', '1234')),
        422,
        'unknown_bank',
      );
    });

    it('refuses a request without a token with 401 unauthorized and a Bearer challenge', async () => {
      const response = await expectRefusedWithoutEffect(
        () =>
          service.app.inject({
            method: 'POST',
            url: '/v1/links',
            headers: { 'content-type': 'application/json' },
            payload: JSON.stringify(validLinkRequest()),
          }),
        401,
        'unauthorized',
      );
      expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
    });

    it.each([
      ['garbage', 'Bearer not-a-token'],
      [
        'a JWT-shaped forgery',
        `Bearer eyJhbGciOiJub25lIn0.${Buffer.from('{"sub":"sandbox-app"}').toString('base64url')}.`,
      ],
      ['another scheme', `Basic ${Buffer.from('sandbox-app:secret').toString('base64')}`],
    ])('refuses %s as token with 401 unauthorized', async (_, authorization) => {
      await expectRefusedWithoutEffect(() => postLink(validLinkRequest(), { authorization }), 401, 'unauthorized');
    });

    it.each(['sandbox-operator', 'sandbox-investigator'] as const)(
      'refuses a %s token with 403 forbidden',
      async (client) => {
        const other = await service.token(client);
        await expectRefusedWithoutEffect(
          () => postLink(validLinkRequest(), { authorization: `Bearer ${other}` }),
          403,
          'forbidden',
        );
      },
    );

    it('refuses an Idempotency-Key that is not one with 400 invalid_idempotency_key', async () => {
      await expectRefusedWithoutEffect(
        () => postLink(validLinkRequest(), { 'idempotency-key': 'two words' }),
        400,
        'invalid_idempotency_key',
      );
    });

    it('refuses an Idempotency-Key reused with a different body with 422 idempotency_key_reused', async () => {
      const key = randomUUID();
      expect((await postLink(validLinkRequest(), { 'idempotency-key': key })).statusCode).toBe(201);
      await expectRefusedWithoutEffect(
        () => postLink(validLinkRequest(), { 'idempotency-key': key }),
        422,
        'idempotency_key_reused',
      );
    });

    it('replays a request sent again with its Idempotency-Key: same answer, no new events', async () => {
      const key = randomUUID();
      const request = validLinkRequest();
      const first = await postLink(request, { 'idempotency-key': key });
      expect(first.statusCode).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();

      const before = await storeCounts();
      const again = await postLink(request, { 'idempotency-key': key });
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers['content-type']).toContain('application/json');
      expect(again.json()).toEqual(first.json());
      expect(await storeCounts()).toEqual(before);
    });

    it('replays a refusal sent again with its Idempotency-Key with the same status and problem', async () => {
      const key = randomUUID();
      const request = linkRequestWith('bankAccount.bankCode', '1234');
      const first = await expectRefusedWithoutEffect(
        () => postLink(request, { 'idempotency-key': key }),
        422,
        'unknown_bank',
      );
      const again = await expectRefusedWithoutEffect(
        () => postLink(request, { 'idempotency-key': key }),
        422,
        'unknown_bank',
      );
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(first.json());
    });

    it('replays a validation failure sent again with its Idempotency-Key with the same status and problem', async () => {
      const key = randomUUID();
      const request = linkRequestWith('bankAccount.number', '123');
      const first = await expectRefusedWithoutEffect(
        () => postLink(request, { 'idempotency-key': key }),
        400,
        'validation_failed',
      );
      const again = await expectRefusedWithoutEffect(
        () => postLink(request, { 'idempotency-key': key }),
        400,
        'validation_failed',
      );
      expect(again.json()).toEqual(first.json());
    });
  });

  describe('GET /v1/links/{id} and POST /v1/links/{id}/revocation', () => {
    it.each([
      ['an unknown link', `lnk_${randomBytes(16).toString('base64url')}`],
      ['a malformed id', 'not-a-link'],
      ['an id too long to be one', `lnk_${'a'.repeat(80)}`],
      ['an id with characters no link id has', 'lnk_abc%24def'],
      ['an encoded path', '..%2F..%2Foauth%2Ftoken'],
    ])('answers %s with 404 link_not_found', async (_, id) => {
      await expectRefusedWithoutEffect(() => getLink(id), 404, 'link_not_found');
    });

    it('answers a path segment longer than the router takes with 414 uri_too_long, as problem+json', async () => {
      const response = await expectRefusedWithoutEffect(
        () =>
          service.app.inject({
            method: 'GET',
            url: `/v1/links/lnk_${'a'.repeat(500)}`,
            headers: { authorization: `Bearer ${token}`, 'x-request-id': 'req-too-long' },
          }),
        414,
        'uri_too_long',
      );
      expect(response.headers['x-request-id']).toBe('req-too-long');
      expect(response.body).not.toContain('aaaa');
    });

    it('answers a link id that is not valid percent-encoding with 400 malformed_url, as problem+json', async () => {
      await expectRefusedWithoutEffect(() => getLink('lnk_%E0%A4%A'), 400, 'malformed_url');
    });

    it('answers 404 link_not_found for a link another payment app created, for reads and revocations alike', async () => {
      const linkId = await newLink();
      const otherApp = await service.paymentAppToken(`other-app-${randomBytes(4).toString('hex')}`);
      expect((await getLink(linkId)).statusCode).toBe(200);

      await expectRefusedWithoutEffect(() => getLink(linkId, otherApp), 404, 'link_not_found');
      await expectRefusedWithoutEffect(
        () =>
          service.app.inject({
            method: 'POST',
            url: `/v1/links/${linkId}/revocation`,
            headers: { authorization: `Bearer ${otherApp}`, 'content-type': 'application/json' },
            payload: JSON.stringify({ reason: 'not mine' }),
          }),
        404,
        'link_not_found',
      );
      expect((await getLink(linkId)).json().status).toBe('awaiting_bank_authentication');
    });

    it('answers 401 without a token and 403 for an operator', async () => {
      const linkId = await newLink();
      await expectRefusedWithoutEffect(
        () => service.app.inject({ method: 'GET', url: `/v1/links/${linkId}` }),
        401,
        'unauthorized',
      );
      await expectRefusedWithoutEffect(
        async () => getLink(linkId, await service.token('sandbox-operator')),
        403,
        'forbidden',
      );
    });

    it('refuses a revocation sent as text/plain with 415 unsupported_media_type', async () => {
      const linkId = await newLink();
      await expectRefusedWithoutEffect(
        () =>
          service.app.inject({
            method: 'POST',
            url: `/v1/links/${linkId}/revocation`,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
            payload: JSON.stringify({ reason: 'user asked' }),
          }),
        415,
        'unsupported_media_type',
      );
      expect((await getLink(linkId)).json().status).toBe('awaiting_bank_authentication');
    });

    it('refuses a revocation without a reason with 400 validation_failed', async () => {
      const linkId = await newLink();
      const response = await expectRefusedWithoutEffect(
        () =>
          service.app.inject({
            method: 'POST',
            url: `/v1/links/${linkId}/revocation`,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            payload: JSON.stringify({}),
          }),
        400,
        'validation_failed',
      );
      expectFieldErrors(response, ['reason']);
    });
  });

  describe('POST /v1/banks/{bankCode}/events', () => {
    const sendUnsigned = (headers: Record<string, string>, body: unknown, bankCode = '9900') =>
      service.app.inject({
        method: 'POST',
        url: `/v1/banks/${bankCode}/events`,
        headers: { 'content-type': 'application/json', ...headers },
        payload: JSON.stringify(body),
      });

    it.each([
      ['a bank that does not take part', '1234'],
      ['a bank code of 5 digits', '99000'],
      ['a bank code with letters', '99a0'],
    ])('answers %s with 404 unknown_bank', async (_, bankCode) => {
      const linkId = await newLink();
      await expectRefusedWithoutEffect(
        () => service.sendBankEvent(authenticationSucceeded(linkId), { bankCode }),
        404,
        'unknown_bank',
      );
    });

    it('answers a delivery without the signature headers with 401 missing_signature_headers', async () => {
      const linkId = await newLink();
      await expectRefusedWithoutEffect(
        () => sendUnsigned({}, authenticationSucceeded(linkId)),
        401,
        'missing_signature_headers',
      );
    });

    const signedHeaders = (body: unknown, id = `msg_${randomUUID()}`): Record<string, string> => ({
      ...signWebhook({
        id,
        timestamp: new Date(),
        body: JSON.stringify(body),
        key: { kind: 'hmac', secret: service.secrets.bankWebhook },
      }),
    });

    it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
      'answers a delivery without %s with 401 missing_signature_headers',
      async (header) => {
        const body = authenticationSucceeded(await newLink());
        const headers = signedHeaders(body);
        delete headers[header];
        await expectRefusedWithoutEffect(() => sendUnsigned(headers, body), 401, 'missing_signature_headers');
      },
    );

    it('answers a delivery signed with another secret with 401 invalid_signature', async () => {
      const linkId = await newLink();
      await expectRefusedWithoutEffect(
        () =>
          service.sendBankEvent(authenticationSucceeded(linkId), {
            secret: `whsec_${randomBytes(32).toString('base64')}`,
          }),
        401,
        'invalid_signature',
      );
      expect((await getLink(linkId)).json().status).toBe('awaiting_bank_authentication');
    });

    it('answers a body changed after signing with 401 invalid_signature', async () => {
      const linkId = await newLink();
      const headers = signedHeaders({ type: 'authentication.failed', data: { linkId, reason: 'wrong password' } });
      await expectRefusedWithoutEffect(
        () => sendUnsigned(headers, authenticationSucceeded(linkId)),
        401,
        'invalid_signature',
      );
    });

    it.each([
      ['10 minutes old', -10 * 60 * 1000],
      ['10 minutes ahead', 10 * 60 * 1000],
    ])('answers a delivery timestamped %s with 401 stale_timestamp', async (_, offset) => {
      const linkId = await newLink();
      await expectRefusedWithoutEffect(
        () => service.sendBankEvent(authenticationSucceeded(linkId), { timestamp: new Date(Date.now() + offset) }),
        401,
        'stale_timestamp',
      );
      expect((await getLink(linkId)).json().status).toBe('awaiting_bank_authentication');
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded'])(
      'answers a signed delivery sent as %s with 415 unsupported_media_type',
      async (contentType) => {
        const body = { type: 'authentication.failed', data: { linkId: await newLink(), reason: 'wrong password' } };
        await expectRefusedWithoutEffect(
          () => sendUnsigned({ ...signedHeaders(body), 'content-type': contentType }, body),
          415,
          'unsupported_media_type',
        );
      },
    );

    it('acknowledges a repeated webhook-id with 204 and gives it no second effect', async () => {
      const linkId = await newLink();
      const id = `msg_${randomUUID()}`;
      const body = authenticationSucceeded(linkId);
      expect((await service.sendBankEvent(body, { id })).statusCode).toBe(204);
      const linkEvents = await service.eventTypesOf(`link-${linkId}`);
      expect((await getLink(linkId)).json().status).toBe('notifying_customer');

      const before = await storeCounts();
      const again = await service.sendBankEvent(body, { id });
      expect(again.statusCode).toBe(204);
      expect(await storeCounts()).toEqual(before);
      expect(await service.eventTypesOf(`link-${linkId}`)).toEqual(linkEvents);
    });

    it.each(INVALID_BANK_EVENTS)(
      'refuses %s with 400 and records neither the event nor its webhook-id',
      async (_, body, code, fields) => {
        const linkId = await newLink();
        const response = await expectRefusedWithoutEffect(
          () => service.sendBankEvent(body(linkId), { id: `msg_${randomUUID()}` }),
          400,
          code,
        );
        if (fields.length > 0) expectFieldErrors(response, fields);
        expect((await getLink(linkId)).json().status).toBe('awaiting_bank_authentication');
      },
    );

    it('refuses a body nested 100 000 levels deep with 400 validation_failed', async () => {
      const rawBody = `{"type": "authentication.failed", "data": {"linkId": "lnk_a", "reason": ${deeplyNested()}}}`;
      await expectRefusedWithoutEffect(() => service.sendBankEvent(undefined, { rawBody }), 400, 'validation_failed');
    });

    it.each([
      ['an unfinished object', '{"type": "authentication.failed", "data": {'],
      ['an empty body', ''],
    ])('refuses malformed JSON (%s) with 400 malformed_json', async (_, rawBody) => {
      await expectRefusedWithoutEffect(() => service.sendBankEvent(undefined, { rawBody }), 400, 'malformed_json');
    });

    it('does not record the webhook-id of a refused body: the corrected retry with the same id is applied', async () => {
      const linkId = await newLink();
      const id = `msg_${randomUUID()}`;
      await expectRefusedWithoutEffect(
        () => service.sendBankEvent({ type: 'authentication.failed', data: { linkId } }, { id }),
        400,
        'validation_failed',
      );
      await expectRefusedWithoutEffect(
        () => service.sendBankEvent(undefined, { id, rawBody: '{"type": "authentication.failed", "data": {' }),
        400,
        'malformed_json',
      );
      const corrected = await service.sendBankEvent(
        { type: 'authentication.failed', data: { linkId, reason: 'wrong password' } },
        { id },
      );
      expect(corrected.statusCode).toBe(204);
      expect((await getLink(linkId)).json()).toMatchObject({
        status: 'rejected',
        reason: 'bank_authentication_failed',
      });
    });

    it('answers a webhook for a link that does not exist with 404 link_not_found, recording nothing', async () => {
      const id = `msg_${randomUUID()}`;
      const linkId = `lnk_${randomBytes(16).toString('base64url')}`;
      await expectRefusedWithoutEffect(
        () => service.sendBankEvent({ type: 'authentication.failed', data: { linkId, reason: 'x' } }, { id }),
        404,
        'link_not_found',
      );
      // Not acknowledged as a duplicate either: the same delivery is answered the same way again.
      await expectRefusedWithoutEffect(
        () => service.sendBankEvent({ type: 'authentication.failed', data: { linkId, reason: 'x' } }, { id }),
        404,
        'link_not_found',
      );
    });

    it('answers a webhook the link’s state does not allow with 409, records the refusal and leaves the link as it was', async () => {
      const linkId = await newLink();
      const failed = { type: 'authentication.failed', data: { linkId, reason: 'wrong password' } };
      expect((await service.sendBankEvent(failed)).statusCode).toBe(204);
      const rejected = (await getLink(linkId)).json();
      expect(rejected).toMatchObject({ status: 'rejected', reason: 'bank_authentication_failed' });
      const linkEvents = await service.eventTypesOf(`link-${linkId}`);
      const inbox = await service.eventTypesOf('bank-inbox-9900');
      const before = await storeCounts();

      for (const late of [failed, authenticationSucceeded(linkId)]) {
        const response = await service.sendBankEvent(late);
        expectProblem(response, 409, 'link_not_in_expected_state');
      }

      expect(await service.eventTypesOf(`link-${linkId}`)).toEqual(linkEvents);
      expect(await service.eventTypesOf('bank-inbox-9900')).toEqual([...inbox, 'BankEventRefused', 'BankEventRefused']);
      expect(await storeCounts()).toEqual({
        events: before.events + 2,
        webhookReceipts: before.webhookReceipts + 2,
      });
      expect((await getLink(linkId)).json()).toEqual(rejected);
    });
  });
});
