import { randomUUID } from 'node:crypto';
import { CLOCK } from '@lib/account-linking/application/ports/clock.port';
import { TestClock } from '@lib/account-linking/infrastructure/testing/process-harness';
import { eventually } from './support/eventually';
import { type ServiceUnderTest, startService } from './support/service-under-test';

describe('a link request the bank never answers, on the embedded default', () => {
  const clock = new TestClock(new Date());
  let service: ServiceUnderTest;
  let token: string;

  beforeAll(async () => {
    service = await startService('embedded PGlite', {
      processes: 'running',
      override: (builder) => builder.overrideProvider(CLOCK).useValue(clock),
    });
    token = await service.token();
  });
  afterAll(async () => {
    await service?.close();
  });

  const get = async (linkId: string) =>
    (
      await service.app.inject({
        method: 'GET',
        url: `/v1/links/${linkId}`,
        headers: { authorization: `Bearer ${token}` },
      })
    ).json();

  it('expires once its time to live (30 minutes) is over, by the durable timer, and not before', async () => {
    const created = await service.app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        customer: { reference: `user-${randomUUID()}` },
        ekyc: {
          method: 'jpki',
          verifiedAt: '2026-11-20T10:00:00Z',
          name: { kanji: '山田 太郎', kana: 'ヤマダ タロウ' },
          birthDate: '1990-01-02',
        },
        bankAccount: { bankCode: '9900', branchCode: '001', type: 'ordinary', number: '3141592' },
        device: { id: 'device-abc' },
      },
    });
    expect(created.statusCode).toBe(201);
    const linkId = created.json().id;

    clock.advanceMinutes(29);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await get(linkId)).status).toBe('awaiting_bank_authentication');

    clock.advanceMinutes(2);
    const expired = await eventually(async () => {
      const view = await get(linkId);
      expect(view.status).toBe('expired');
      return view;
    });
    expect(expired.reason).toBe('request_expired');
    expect((await service.eventTypesOf(`link-${linkId}`)).filter((type) => type === 'LinkExpired')).toHaveLength(1);
  });
});
