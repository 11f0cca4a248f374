import { randomUUID } from 'node:crypto';
import { ActorDefences } from '@lib/account-linking/application/actor-defences/actor-defences';
import { CLOCK } from '@lib/account-linking/application/ports/clock.port';
import { TestClock } from '@lib/account-linking/infrastructure/testing/process-harness';
import { eventually } from './support/eventually';
import { aLinkRequest } from './support/link-request';
import { type ServiceUnderTest, startService } from './support/service-under-test';

// A device blocked for 10 minutes (settings), and a test clock: the block's durable timer records its end.
describe('the end of an actor block, recorded by its timer, on the embedded default', () => {
  const clock = new TestClock(new Date());
  let service: ServiceUnderTest;
  let app: string;
  let operator: string;

  beforeAll(async () => {
    service = await startService('embedded PGlite', {
      processes: 'running',
      env: { ACTOR_DEVICE_WINDOW_MINUTES: '10' },
      override: (builder) => builder.overrideProvider(CLOCK).useValue(clock),
    });
    app = await service.token();
    operator = await service.token('sandbox-operator');
  });
  afterAll(async () => {
    await service?.close();
  });

  const request = (device: string) =>
    service.app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: { authorization: `Bearer ${app}` },
      payload: {
        ...aLinkRequest({ number: String(4_000_000 + Math.floor(Math.random() * 999_999)) }),
        device: { id: device },
      },
    });
  const blocksOfDevice = async (device: string) =>
    (
      await service.app.inject({
        method: 'GET',
        url: '/v1/admin/actor-blocks?active=false',
        headers: { authorization: `Bearer ${operator}` },
      })
    )
      .json()
      .items.filter((block: { actor: { key: string } }) => block.actor.key === device);

  it('records ActorBlockExpired once the block runs out, and the device may try again', async () => {
    const device = `expiring-${randomUUID()}`;
    for (let i = 0; i < 3; i++) {
      const created = await request(device);
      expect(created.statusCode).toBe(201);
      await service.sendBankEvent({
        type: 'authentication.failed',
        data: { linkId: created.json().id, reason: 'PIN' },
      });
    }
    expect((await request(device)).json().code).toBe('actor_blocked');
    const [block] = await eventually(async () => {
      const blocks = await blocksOfDevice(device);
      expect(blocks).toHaveLength(1);
      return blocks;
    });
    expect(block.expiredAt).toBeUndefined();

    clock.advanceMinutes(9);
    expect((await request(device)).json().code).toBe('actor_blocked');
    clock.advanceMinutes(2);
    await eventually(async () => expect((await blocksOfDevice(device))[0].expiredAt).toBe(clock.now().toISOString()));
    const stream = service.app
      .get(ActorDefences)
      .streamOf({ kind: 'device', paymentAppId: 'sandbox-app', key: device });
    expect((await service.eventTypesOf(stream)).filter((type) => type.startsWith('ActorBlock'))).toEqual([
      'ActorBlocked',
      'ActorBlockExpired',
    ]);
    expect((await request(device)).statusCode).toBe(201);
  });
});
