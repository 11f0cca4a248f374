import { OPENAPI_JSON_PATH, OPENAPI_UI_PATH } from '../apps/api/src/openapi/openapi-document';
import { type ServiceUnderTest, startService } from './support/service-under-test';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Endpoint = `${Uppercase<Method>} ${string}`;

/**
 * Every endpoint API.md names, in its words. The served document must have each one. (While one was still
 * being built it stood in a list of pending endpoints that the test checked were still missing.)
 */
const API_MD_ENDPOINTS: readonly Endpoint[] = [
  'POST /oauth/token',
  'POST /v1/links',
  'GET /v1/links/{id}',
  'GET /v1/links',
  'POST /v1/links/{id}/revocation',
  'POST /v1/links/{id}/device-rebinding',
  'POST /v1/sandbox/banks/9900/reauthentications',
  'POST /v1/banks/{bankCode}/events',
  'GET /v1/investigations/links/{id}/events',
  'GET /v1/investigations/links/{id}/state',
  'GET /v1/investigations/bank-accounts',
  'GET /v1/sandbox/notifications',
  'POST /v1/sandbox/banks/9900/authentications',
  'POST /v1/admin/banks/{bankCode}/suspension',
  'DELETE /v1/admin/banks/{bankCode}/suspension',
  'POST /v1/webhook-endpoints',
  'GET /v1/webhook-endpoints',
  'GET /v1/webhook-endpoints/{id}',
  'DELETE /v1/webhook-endpoints/{id}',
  'POST /v1/webhook-endpoints/{id}/secret-rotation',
  'GET /v1/webhook-endpoints/{id}/deliveries',
  'POST /v1/webhook-endpoints/{id}/replays',
  'GET /v1/events',
  'GET /v1/links/{id}/limits',
  'PUT /v1/links/{id}/limits',
  'POST /v1/links/{id}/debits',
  'GET /v1/links/{id}/debits',
  'GET /v1/banks/{bankCode}/debits/{id}',
  'GET /v1/investigations/cases/{id}',
  'POST /v1/investigations/policy-replays',
  'GET /v1/investigations/policy-replays/{id}',
  'POST /v1/cases',
  'GET /v1/cases',
  'GET /v1/cases/{id}',
  'POST /v1/cases/{id}/notes',
  'POST /v1/cases/{id}/decision',
  'POST /v1/cases/{id}/agreement',
  'POST /v1/admin/cases/{id}/decision',
];

const LINK_STATUSES = [
  'awaiting_bank_authentication',
  'notifying_customer',
  'cooling_off',
  'awaiting_customer_confirmation',
  'active',
  'suspended',
  'revoked',
  'rejected',
  'expired',
];

interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  enum?: unknown[];
  description?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
}
interface Operation {
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: Schema }> }>;
  description?: string;
  security?: Record<string, string[]>[];
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Partial<Record<Method, Operation>>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, Record<string, unknown>> };
}

describe('the OpenAPI document at /openapi.json', () => {
  let service: ServiceUnderTest;
  let document: OpenApiDocument;

  beforeAll(async () => {
    service = await startService('embedded PGlite');
    const response = await service.app.inject({ method: 'GET', url: OPENAPI_JSON_PATH });
    expect(response.statusCode).toBe(200);
    document = response.json();
  });

  afterAll(async () => {
    await service?.close();
  });

  const served = (endpoint: Endpoint): boolean => {
    const [method, path] = endpoint.split(' ') as [string, string];
    return document.paths[path]?.[method.toLowerCase() as Method] !== undefined;
  };

  const parametersOf = (endpoint: Endpoint, where: 'query' | 'header' | 'path') =>
    (operation(endpoint).parameters ?? [])
      .filter((parameter) => parameter.in === where)
      .map((parameter) => `${parameter.name.toLowerCase()}${parameter.required ? '' : '?'}`);

  const operation = (endpoint: Endpoint): Operation => {
    const [method, path] = endpoint.split(' ') as [string, string];
    const found = document.paths[path]?.[method.toLowerCase() as Method];
    if (!found) throw new Error(`${endpoint} is not in the document`);
    return found;
  };

  /** Follows `$ref` (and the `allOf: [$ref]` wrapping of described properties) to the schema itself. */
  const resolve = (schema: Schema | undefined): Schema | undefined => {
    if (schema?.$ref) return resolve(document.components.schemas[schema.$ref.replace('#/components/schemas/', '')]);
    if (schema?.allOf?.length === 1) return resolve(schema.allOf[0]);
    return schema;
  };

  const fieldAt = (schema: Schema | undefined, path: string): Schema | undefined =>
    path.split('.').reduce<Schema | undefined>((at, name) => resolve(resolve(at)?.properties?.[name]), schema);

  const missingFields = (schema: Schema | undefined, paths: readonly string[]) =>
    paths.filter((path) => fieldAt(schema, path) === undefined);

  const linkViewOf = (endpoint: Endpoint, status: string) =>
    resolve(operation(endpoint).responses[status]?.content?.['application/json']?.schema);

  it('has every endpoint of API.md', () => {
    const missing = API_MD_ENDPOINTS.filter((endpoint) => !served(endpoint));
    if (missing.length > 0) {
      throw new Error(`API.md endpoints missing from ${OPENAPI_JSON_PATH}: ${missing.join(', ')}`);
    }
  });

  it("describes the link request with API.md's field names", () => {
    const body = resolve(operation('POST /v1/links').requestBody?.content['application/json']?.schema);
    expect(
      missingFields(body, [
        'customer.reference',
        'ekyc.method',
        'ekyc.verifiedAt',
        'ekyc.name.kanji',
        'ekyc.name.kana',
        'ekyc.birthDate',
        'ekyc.phone',
        'ekyc.address.postalCode',
        'ekyc.address.prefecture',
        'ekyc.address.line',
        'bankAccount.bankCode',
        'bankAccount.branchCode',
        'bankAccount.type',
        'bankAccount.number',
        'device.id',
      ]),
    ).toEqual([]);
    expect(body?.required).toEqual(expect.arrayContaining(['customer', 'bankAccount', 'device']));
  });

  it.each([
    ['POST /v1/links', '201'],
    ['GET /v1/links/{id}', '200'],
    ['POST /v1/links/{id}/revocation', '200'],
  ] as const)('answers %s with the link view of API.md', (endpoint, status) => {
    const view = linkViewOf(endpoint, status);
    expect(
      missingFields(view, [
        'id',
        'status',
        'customer.reference',
        'bankAccount.bankCode',
        'bankAccount.branchCode',
        'bankAccount.type',
        'bankAccount.last4',
        'createdAt',
        'expiresAt',
        'reason',
        'reasonDetail',
      ]),
    ).toEqual([]);
    expect([...(fieldAt(view, 'status')?.enum ?? [])].sort()).toEqual([...LINK_STATUSES].sort());
    // The full account number is never returned.
    expect(fieldAt(view, 'bankAccount.number')).toBeUndefined();
  });

  it('describes device re-binding (R9): the request, the link view with its pending re-binding, the webhook and the simulator', () => {
    const body = (endpoint: Endpoint) => resolve(operation(endpoint).requestBody?.content['application/json']?.schema);
    expect(missingFields(body('POST /v1/links/{id}/device-rebinding'), ['device.id'])).toEqual([]);
    expect(parametersOf('POST /v1/links/{id}/device-rebinding', 'header')).toContain('idempotency-key?');
    expect(operation('POST /v1/links/{id}/device-rebinding').security).toEqual(
      expect.arrayContaining([{ oauth2: ['links:write'] }]),
    );
    const view = linkViewOf('POST /v1/links/{id}/device-rebinding', '200');
    expect(missingFields(view, ['boundDeviceId', 'rebinding.deviceId', 'rebinding.requestedAt'])).toEqual([]);
    expect(
      missingFields(document.components.schemas.DeviceReauthenticatedData, [
        'linkId',
        'deviceId',
        'methods',
        'authenticatedAt',
      ]),
    ).toEqual([]);
    const bankEvent = body('POST /v1/banks/{bankCode}/events');
    expect(fieldAt(bankEvent, 'type')?.enum).toContain('device.reauthenticated');
    expect(
      missingFields(body('POST /v1/sandbox/banks/9900/reauthentications'), ['linkId', 'deviceId', 'scenario']),
    ).toEqual([]);
  });

  it('lists links by customer reference and status as `{ items, nextCursor }` of link views', () => {
    expect(parametersOf('GET /v1/links', 'query')).toEqual(expect.arrayContaining(['customerreference?', 'status?']));
    const page = linkViewOf('GET /v1/links', '200');
    expect(missingFields(page, ['items', 'nextCursor'])).toEqual([]);
    expect(resolve(fieldAt(page, 'items')?.items)).toBe(document.components.schemas.Link);
  });

  it.each([
    ['GET /v1/investigations/links/{id}/events', []],
    ['GET /v1/investigations/links/{id}/state', ['at']],
    ['GET /v1/investigations/bank-accounts', ['bankcode', 'branchcode', 'type', 'number']],
  ] as const)('asks investigators for their case and investigations:read on %s', (endpoint, query) => {
    expect(parametersOf(endpoint, 'header')).toContain('x-investigation-case');
    expect(parametersOf(endpoint, 'query')).toEqual(expect.arrayContaining([...query]));
    expect(operation(endpoint).security).toEqual(expect.arrayContaining([{ oauth2: ['investigations:read'] }]));
  });

  it("tells investigators that a link's history includes its debits' and spending streams", () => {
    const events = operation('GET /v1/investigations/links/{id}/events');
    expect(events.responses['200']?.description).toContain('debitEvents');
    expect(events.description).toContain('`spending-{id}`');
  });

  it('takes a reason to suspend a bank, for operators', () => {
    const body = resolve(
      operation('POST /v1/admin/banks/{bankCode}/suspension').requestBody?.content['application/json']?.schema,
    );
    expect(missingFields(body, ['reason'])).toEqual([]);
    for (const method of ['POST', 'DELETE'] as const) {
      expect(operation(`${method} /v1/admin/banks/{bankCode}/suspension`).security).toEqual(
        expect.arrayContaining([{ oauth2: ['admin'] }]),
      );
    }
  });

  it("describes webhooks out with API.md's field names", () => {
    const body = (endpoint: Endpoint) => resolve(operation(endpoint).requestBody?.content['application/json']?.schema);
    const answer = (endpoint: Endpoint, status: string) =>
      resolve(operation(endpoint).responses[status]?.content?.['application/json']?.schema);
    expect(missingFields(body('POST /v1/webhook-endpoints'), ['url', 'eventTypes', 'description'])).toEqual([]);
    expect(
      missingFields(answer('POST /v1/webhook-endpoints', '201'), ['id', 'url', 'eventTypes', 'status', 'secret']),
    ).toEqual([]);
    expect(missingFields(answer('POST /v1/webhook-endpoints/{id}/secret-rotation', '200'), ['secret'])).toEqual([]);
    const attempts = answer('GET /v1/webhook-endpoints/{id}/deliveries', '200');
    expect(missingFields(attempts, ['items', 'nextCursor'])).toEqual([]);
    expect(
      missingFields(resolve(fieldAt(attempts, 'items')?.items), [
        'eventId',
        'attempt',
        'status',
        'responseCode',
        'durationMs',
        'at',
      ]),
    ).toEqual([]);
    expect(missingFields(body('POST /v1/webhook-endpoints/{id}/replays'), ['since', 'until'])).toEqual([]);
    expect(operation('POST /v1/webhook-endpoints/{id}/replays').responses['202']).toBeDefined();
    expect(parametersOf('GET /v1/events', 'query')).toEqual(expect.arrayContaining(['after?', 'type?']));
    const events = answer('GET /v1/events', '200');
    expect(missingFields(resolve(fieldAt(events, 'items')?.items), ['id', 'type', 'createdAt', 'data'])).toEqual([]);
    const debitTypes = ['debit.authorised', 'debit.refused', 'debit.settled', 'debit.failed', 'debit.expired'];
    expect(fieldAt(resolve(fieldAt(events, 'items')?.items), 'type')?.enum).toEqual(expect.arrayContaining(debitTypes));
    expect(resolve(fieldAt(body('POST /v1/webhook-endpoints'), 'eventTypes')?.items)?.enum).toEqual(
      expect.arrayContaining(debitTypes),
    );
    expect(fieldAt(resolve(fieldAt(events, 'items')?.items), 'data')?.description).toContain('`debit.*`');
  });

  it('describes errors as problem+json with a code', () => {
    const problem = document.components.schemas.Problem;
    expect(Object.keys(problem?.properties ?? {})).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'code', 'errors']),
    );
    expect(problem?.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'code']));
    const notFound = operation('GET /v1/links/{id}').responses['404']?.content?.['application/problem+json'];
    expect(notFound?.schema.$ref).toBe('#/components/schemas/Problem');
  });

  it('declares OAuth2 client credentials at /oauth/token and bearer JWTs, and uses them on app routes', () => {
    expect(document.components.securitySchemes.oauth2).toMatchObject({
      type: 'oauth2',
      flows: { clientCredentials: { tokenUrl: '/oauth/token' } },
    });
    expect(document.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(operation('POST /v1/links').security).toEqual(
      expect.arrayContaining([{ bearer: [] }, { oauth2: ['links:write'] }]),
    );
    expect(operation('POST /oauth/token').security).toBeUndefined();
  });

  it('names the Standard Webhooks signature headers on the bank endpoint', () => {
    const headers = operation('POST /v1/banks/{bankCode}/events')
      .parameters?.filter((parameter) => parameter.in === 'header' && parameter.required)
      .map((parameter) => parameter.name);
    expect(headers).toEqual(expect.arrayContaining(['webhook-id', 'webhook-timestamp', 'webhook-signature']));
  });

  it("lists every bank webhook type of API.md, with the fraud rules' new types and their fields", () => {
    const body = operation('POST /v1/banks/{bankCode}/events').requestBody?.content['application/json']?.schema;
    expect([...(fieldAt(body, 'type')?.enum ?? [])].sort()).toEqual(
      [
        'authentication.succeeded',
        'authentication.failed',
        'notification.delivered',
        'customer.confirmed',
        'customer.objected',
        'link.revoked',
        'fraud.reported',
        'account.closed',
        'debit.settled',
        'debit.failed',
        'device.reauthenticated',
        'limits.confirmed',
        'limits.updated',
      ].sort(),
    );
    const schemas = document.components.schemas;
    expect(missingFields(schemas.FraudReportedData, ['linkId', 'reason'])).toEqual([]);
    expect(resolve(schemas.FraudReportedData)?.required).toEqual(expect.arrayContaining(['linkId', 'reason']));
    const closed = ['bankAccount', 'bankAccount.branchCode', 'bankAccount.type', 'bankAccount.number'];
    expect(missingFields(schemas.AccountClosedData, closed)).toEqual([]);
    expect(fieldAt(schemas.AccountClosedData, 'linkId')).toBeUndefined();
    expect(fieldAt(schemas.AccountClosedData, 'bankAccount.bankCode')).toBeUndefined();
  });

  it("describes limits (R10) with API.md's field names, on the link view too, and their bank webhooks", () => {
    const fields = ['perDebit', 'daily', 'monthly', 'pending.perDebit', 'pending.daily', 'pending.monthly'];
    for (const endpoint of ['GET /v1/links/{id}/limits', 'PUT /v1/links/{id}/limits'] as const) {
      expect(missingFields(linkViewOf(endpoint, '200'), [...fields, 'initialPeriodUntil'])).toEqual([]);
    }
    const body = resolve(operation('PUT /v1/links/{id}/limits').requestBody?.content['application/json']?.schema);
    expect(missingFields(body, ['perDebit', 'daily', 'monthly'])).toEqual([]);
    expect(body?.required ?? []).toEqual([]);
    expect(operation('PUT /v1/links/{id}/limits').security).toEqual(
      expect.arrayContaining([{ oauth2: ['links:write'] }]),
    );
    expect(missingFields(linkViewOf('GET /v1/links/{id}', '200'), ['limits.perDebit', 'limits.pending'])).toEqual([]);
    const schemas = document.components.schemas;
    expect(resolve(schemas.LimitsConfirmedData)?.required).toEqual(['linkId']);
    expect(missingFields(schemas.LimitsUpdatedData, ['linkId', 'perDebit', 'daily', 'monthly'])).toEqual([]);
  });

  it('describes a debit and its refusals as API.md gives them', () => {
    const created = operation('POST /v1/links/{id}/debits');
    const debit = created.responses['201']?.content?.['application/json']?.schema;
    expect(
      missingFields(debit, ['id', 'linkId', 'status', 'amount', 'currency', 'reference', 'authorisedAt', 'expiresAt']),
    ).toEqual([]);
    expect(created.responses['422']).toBeDefined();
    const body = created.requestBody?.content['application/json']?.schema;
    expect(missingFields(body, ['amount', 'currency', 'reference', 'device.id', 'device.ipAddress'])).toEqual([]);
    const bankDebit = operation('GET /v1/banks/{bankCode}/debits/{id}').responses['200']?.content?.['application/json']
      ?.schema;
    expect(missingFields(bankDebit, ['id', 'status', 'amount', 'link.status'])).toEqual([]);
  });

  it('describes the signed digests of the whole log: the investigator reads, the operator routes and their fields', () => {
    const answer = (endpoint: Endpoint, status: string) =>
      resolve(operation(endpoint).responses[status]?.content?.['application/json']?.schema);
    const fields = [
      'id',
      'sequence',
      'digest',
      'previousDigestId',
      'eventCount',
      'upToCheckpoint',
      'upToPosition',
      'recordedAt',
      'signature',
    ];
    for (const endpoint of ['GET /v1/investigations/log-digests', 'GET /v1/investigations/log-digests/{id}'] as const) {
      expect(parametersOf(endpoint, 'header')).toContain('x-investigation-case');
      expect(operation(endpoint).security).toEqual(expect.arrayContaining([{ oauth2: ['investigations:read'] }]));
    }
    expect(parametersOf('GET /v1/investigations/log-digests', 'query')).toEqual(
      expect.arrayContaining(['limit?', 'cursor?']),
    );
    const page = answer('GET /v1/investigations/log-digests', '200');
    expect(missingFields(page, ['items', 'nextCursor'])).toEqual([]);
    expect(missingFields(resolve(fieldAt(page, 'items')?.items), fields)).toEqual([]);
    expect(missingFields(answer('GET /v1/investigations/log-digests/{id}', '200'), fields)).toEqual([]);
    expect(operation('GET /v1/investigations/log-digests/{id}').responses['404']).toBeDefined();
    expect(missingFields(answer('POST /v1/admin/evidence/log-digests', '201'), fields)).toEqual([]);
    expect(operation('POST /v1/admin/evidence/log-digests').responses['409']).toBeDefined();
    const verification = answer('POST /v1/admin/evidence/log-verification', '200');
    expect(
      missingFields(verification, [
        'verified',
        'digestsChecked',
        'eventsChecked',
        'signaturesUnchecked',
        'firstMismatch.digestId',
        'firstMismatch.reason',
        'firstMismatch.upToCheckpoint',
        'firstMismatch.event.globalPosition',
      ]),
    ).toEqual([]);
    for (const endpoint of [
      'POST /v1/admin/evidence/log-digests',
      'POST /v1/admin/evidence/log-verification',
    ] as const) {
      expect(operation(endpoint).security).toEqual(expect.arrayContaining([{ oauth2: ['admin'] }]));
    }
    expect(operation('GET /v1/investigations/links/{id}/evidence').description).toContain('`logDigest`');
  });

  it.each(['POST /v1/links', 'POST /v1/links/{id}/revocation', 'POST /v1/links/{id}/debits'] as const)(
    'offers an Idempotency-Key header on %s',
    (endpoint) => {
      const header = operation(endpoint).parameters?.find((parameter) => parameter.name === 'Idempotency-Key');
      expect(header).toMatchObject({ in: 'header', required: false });
    },
  );

  it('serves Swagger UI at /docs', async () => {
    const page = await service.app.inject({ method: 'GET', url: OPENAPI_UI_PATH });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('swagger-ui');
    const init = await service.app.inject({ method: 'GET', url: `${OPENAPI_UI_PATH}/swagger-ui-init.js` });
    expect(init.statusCode).toBe(200);
    const bundle = await service.app.inject({ method: 'GET', url: `${OPENAPI_UI_PATH}/swagger-ui-bundle.js` });
    expect(bundle.statusCode).toBe(200);
  });
});
