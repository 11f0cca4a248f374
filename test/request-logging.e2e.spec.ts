import { randomUUID } from 'node:crypto';
import { PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';
import { requestLoggingParams } from '@lib/platform/http/request-logging';
import { distinctiveLinkRequest, personalDataIn } from './support/distinctive-link-request';
import { type ServiceUnderTest, startService } from './support/service-under-test';

describe('request logs (pino JSON)', () => {
  let service: ServiceUnderTest;
  let token: string;
  const written: string[] = [];
  const { body, personal } = distinctiveLinkRequest();

  const logLines = () =>
    written
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown> & { req?: { id?: string } });

  beforeAll(async () => {
    // The service's own logging settings, writing to this test instead of stdout.
    const params = requestLoggingParams({ LOG_LEVEL: 'info' });
    const capture = { write: (line: string) => void written.push(line) };
    service = await startService('embedded PGlite', {
      override: (builder) =>
        builder.overrideProvider(PARAMS_PROVIDER_TOKEN).useValue({ ...params, pinoHttp: [params.pinoHttp, capture] }),
    });
    token = await service.token();
  });

  afterAll(async () => {
    await service?.close();
  });

  it('writes one JSON line per request under its request id, with method, path and status', async () => {
    const requestId = `log-test-${randomUUID()}`;
    const created = await service.app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID(), 'x-request-id': requestId },
      payload: body,
    });
    expect(created.statusCode).toBe(201);
    const lines = logLines().filter((line) => line.req?.id === requestId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      req: { id: requestId, method: 'POST', url: '/v1/links' },
      res: { statusCode: 201 },
    });
  });

  it('logs no body, header, query string or token: none of the personal data the requests carried', async () => {
    const requestId = `log-test-${randomUUID()}`;
    await service.app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId },
      payload: { ...body, bankAccount: { ...body.bankAccount, number: 'not-a-number' } },
    });
    const query = new URLSearchParams({
      customerReference: personal.customerReference,
      number: personal.accountNumber,
    });
    await service.app.inject({
      method: 'GET',
      url: `/v1/links?${query}`,
      headers: { authorization: `Bearer ${token}`, 'x-request-id': `${requestId}-query` },
    });
    const lines = logLines();
    expect(lines.some((line) => line.req?.id === requestId)).toBe(true);
    expect(lines.find((line) => line.req?.id === `${requestId}-query`)).toMatchObject({ req: { url: '/v1/links' } });
    const text = written.join('');
    expect(personalDataIn(text, personal)).toEqual([]);
    expect(text).not.toContain(token);
    expect(text).not.toContain(service.secrets.app);
    expect(text.toLowerCase()).not.toContain('authorization');
  });
});
