import { SQL_BACKENDS } from '@lib/platform/sql/testing/sql-backends';
import { bankRegistryStream } from '../../bank-streams';
import {
  type BankHandlerSpecification,
  bankHandlerSpecification,
  fakeSealer,
  operatorMetadata,
  SPEC_NOW,
} from '../../testing/bank-handler-specification';
import { RegisterBankCommand } from '../register-bank/register-bank.command';
import { RegisterBankHandler } from '../register-bank/register-bank.handler';
import { ProvisionBankWebhookKeyCommand } from './provision-bank-webhook-key.command';
import { ProvisionBankWebhookKeyHandler } from './provision-bank-webhook-key.handler';

const POLICY = {
  customerNotifiedBy: 'service',
  coolingOffMinutes: 0,
  customerConfirmationRequired: false,
  phishingResistantFactorRequired: false,
} as const;
const SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
const OTHER_SECRET = `whsec_${Buffer.alloc(32, 2).toString('base64')}`;
const seeder = { ...operatorMetadata, actor: { type: 'system', id: 'sandbox-seeder' } } as const;

describe.each(SQL_BACKENDS)('seeding the sandbox bank’s key at every start, on $name', (backend) => {
  let spec: BankHandlerSpecification;
  beforeAll(async () => {
    spec = await bankHandlerSpecification(backend, [RegisterBankHandler, ProvisionBankWebhookKeyHandler]);
  });
  afterAll(() => spec.close());

  const start = async (secret: string, generated = false) => {
    await spec.execute(new RegisterBankCommand('9900', 'Sandbox Bank', POLICY, seeder));
    await spec.execute(
      new ProvisionBankWebhookKeyCommand(
        '9900',
        { keyId: 'sandbox-hmac-1', kind: 'hmac', material: secret },
        generated,
        seeder,
      ),
    );
  };
  const types = async () => (await spec.eventsOf('9900')).map((event) => event.type);

  it('registers the bank and adds its key on the first start', async () => {
    await start(SECRET);
    expect(await types()).toEqual(['BankRegistered', 'BankWebhookKeyAdded']);
  });

  it('records nothing on a start with the same secret', async () => {
    await start(SECRET);
    expect(await types()).toEqual(['BankRegistered', 'BankWebhookKeyAdded']);
  });

  it('replaces the key’s material on a start with another secret', async () => {
    const before = (await spec.store.readStream(bankRegistryStream('9900'))).length;
    await start(OTHER_SECRET, true);
    const [replaced, ...more] = await spec.store.readStream(bankRegistryStream('9900'), { fromRevision: before });
    expect(more).toEqual([]);
    expect(replaced).toMatchObject({
      type: 'BankWebhookKeyReplaced',
      data: {
        bankCode: '9900',
        keyId: 'sandbox-hmac-1',
        kind: 'hmac',
        ...(await fakeSealer.seal('9900', OTHER_SECRET)),
        notBefore: null,
        notAfter: null,
        secretGenerated: true,
        at: SPEC_NOW,
      },
    });
  });
});
