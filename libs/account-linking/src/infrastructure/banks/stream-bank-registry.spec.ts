import { randomBytes } from 'node:crypto';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { PersonalDataCipher } from '@lib/platform/crypto/personal-data-cipher';
import { type IsolatedSqlClient, SQL_BACKENDS } from '@lib/platform/sql/testing/sql-backends';
import { signWebhook } from '@lib/platform/webhooks/sign-webhook';
import { verifyWebhook } from '@lib/platform/webhooks/verify-webhook';
import { AddBankWebhookKeyHandler } from '../../application/commands/add-bank-webhook-key/add-bank-webhook-key.handler';
import { AddBankWebhookKeyCommand } from '../../application/commands/add-bank-webhook-key/add-bank-webhook-key.command';
import { LiftBankSuspensionCommand } from '../../application/commands/lift-bank-suspension/lift-bank-suspension.command';
import { LiftBankSuspensionHandler } from '../../application/commands/lift-bank-suspension/lift-bank-suspension.handler';
import { RegisterBankCommand } from '../../application/commands/register-bank/register-bank.command';
import { RegisterBankHandler } from '../../application/commands/register-bank/register-bank.handler';
import { SuspendBankCommand } from '../../application/commands/suspend-bank/suspend-bank.command';
import { SuspendBankHandler } from '../../application/commands/suspend-bank/suspend-bank.handler';
import { systemClock } from '../../application/ports/clock.port';
import { CipherWebhookKeySealer } from './cipher-webhook-key-sealer';
import { StreamBankRegistry } from './stream-bank-registry';

const metadata: EventMetadata = {
  actor: { type: 'operator', id: 'ops' },
  correlationId: 'c',
  causationId: 'c',
  occurredAt: '2026-11-20T12:00:00.000Z',
};
const POLICY = {
  customerNotifiedBy: 'service',
  coolingOffMinutes: 0,
  customerConfirmationRequired: false,
  phishingResistantFactorRequired: false,
} as const;

describe.each(SQL_BACKENDS)('banks as the hot path reads them, from their streams, on $name', (backend) => {
  let isolated: IsolatedSqlClient;
  let store: PostgresEventStore;
  let cipher: PersonalDataCipher;
  let sealer: CipherWebhookKeySealer;
  /** Two api replicas: each has its own cache of what it folded. */
  let replicaA: StreamBankRegistry;
  let replicaB: StreamBankRegistry;

  beforeAll(async () => {
    isolated = await backend.open();
    store = await PostgresEventStore.create(isolated.sql);
    cipher = new PersonalDataCipher(isolated.sql, randomBytes(32).toString('base64'));
    await cipher.ensureSchema();
    sealer = new CipherWebhookKeySealer(cipher, new KeyedHash(randomBytes(32).toString('base64')));
    replicaA = new StreamBankRegistry(store, sealer);
    replicaB = new StreamBankRegistry(store, sealer);
    await new RegisterBankHandler(store, systemClock).execute(
      new RegisterBankCommand('0005', 'Bank', POLICY, metadata),
    );
  });
  afterAll(() => isolated.dispose());

  it('sees a suspension made through another replica on its very next read, and the lifting too', async () => {
    expect(await replicaA.find('0005')).toEqual({ code: '0005', name: 'Bank', policy: POLICY, suspended: false });
    await new SuspendBankHandler(store, systemClock).execute(new SuspendBankCommand('0005', 'attack', metadata));
    expect((await replicaA.find('0005'))?.suspended).toBe(true);
    await new LiftBankSuspensionHandler(store, systemClock).execute(
      new LiftBankSuspensionCommand('0005', undefined, metadata),
    );
    expect((await replicaA.find('0005'))?.suspended).toBe(false);
    expect((await replicaB.find('0005'))?.suspended).toBe(false);
  });

  it('folds only what is new since its last read, to the same state as a full read', async () => {
    await new SuspendBankHandler(store, systemClock).execute(new SuspendBankCommand('0005', 'again', metadata));
    const fresh = new StreamBankRegistry(store, sealer);
    expect(await replicaA.current('0005')).toEqual(await fresh.current('0005'));
  });

  it('shares one read among those who ask while one is in flight, and never serves them a read older than their ask', async () => {
    let reads = 0;
    let gate: Promise<void> | undefined;
    const counted = new Proxy(store, {
      get(target, property, receiver) {
        if (property !== 'readStream') return Reflect.get(target, property, receiver);
        return async (...args: Parameters<PostgresEventStore['readStream']>) => {
          reads += 1;
          const events = await target.readStream(...args);
          await gate;
          return events;
        };
      },
    });
    const registry = new StreamBankRegistry(counted, sealer);
    await registry.current('0005');
    reads = 0;
    // A read held after it has read: a suspension lifted meanwhile is not in it, so who asks after the lift must
    // get a later read.
    let release: () => void = () => undefined;
    gate = new Promise((resolve) => {
      release = resolve;
    });
    const early = registry.find('0005');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await new StreamBankRegistry(store, sealer).find('0005'))?.suspended).toBe(true);
    await new LiftBankSuspensionHandler(store, systemClock).execute(
      new LiftBankSuspensionCommand('0005', undefined, metadata),
    );
    const late = Array.from({ length: 10 }, () => registry.find('0005'));
    gate = undefined;
    release();
    expect((await early)?.suspended).toBe(true);
    expect((await Promise.all(late)).map((bank) => bank?.suspended)).toEqual(late.map(() => false));
    // The held read, and one more for the ten who asked while it was in flight.
    expect(reads).toBe(2);
  });

  it('verifies a webhook signed with a key added a moment ago', async () => {
    const addKey = new AddBankWebhookKeyHandler(store, replicaB, sealer, systemClock);
    expect(await replicaA.verificationKeys('0005')).toEqual([]);
    const { secret } = await addKey.execute(
      new AddBankWebhookKeyCommand('0005', { keyId: 'k1', kind: 'hmac' }, metadata),
    );
    if (!secret) throw new Error('no secret generated');
    const body = JSON.stringify({ type: 'authentication.failed', data: {} });
    const now = new Date();
    const verification = verifyWebhook({
      headers: signWebhook({ id: 'msg_1', timestamp: now, body, key: { kind: 'hmac', secret } }),
      rawBody: body,
      keys: (await replicaA.verificationKeys('0005')) ?? [],
      now,
    });
    expect(verification).toMatchObject({ ok: true, keyId: 'k1' });
    // A webhook's sender: the keys and the bank they were read with, from one read.
    const read = jest.spyOn(store, 'readStream');
    try {
      const sender = await replicaA.webhookSender('0005');
      expect(sender?.keys.map((key) => key.keyId)).toEqual(['k1']);
      expect(sender?.bank).toEqual(await replicaB.find('0005'));
      expect(read).toHaveBeenCalledTimes(2); // replicaA's, then replicaB's
    } finally {
      read.mockRestore();
    }

    const stored = await isolated.sql.query<{ row: string }>('SELECT t::text AS row FROM es_events t');
    expect(stored.map((row) => row.row).join('\n')).not.toContain(secret.slice('whsec_'.length));
  });

  it('verifies nothing with material whose key was erased', async () => {
    await cipher.erase('bank-keys-0005');
    expect(await new StreamBankRegistry(store, sealer).verificationKeys('0005')).toEqual([]);
  });

  it('knows no bank that has no stream', async () => {
    expect(await replicaA.find('0999')).toBeUndefined();
    expect(await replicaA.verificationKeys('0999')).toBeUndefined();
    expect(await replicaA.webhookSender('0999')).toBeUndefined();
    expect(await replicaA.current('0999')).toEqual({ status: 'none' });
  });
});

describe.each(SQL_BACKENDS)('sealing webhook key material, on $name', (backend) => {
  let isolated: IsolatedSqlClient;
  let sealer: CipherWebhookKeySealer;

  beforeAll(async () => {
    isolated = await backend.open();
    const cipher = new PersonalDataCipher(isolated.sql, randomBytes(32).toString('base64'));
    await cipher.ensureSchema();
    sealer = new CipherWebhookKeySealer(cipher, new KeyedHash(randomBytes(32).toString('base64')));
  });
  afterAll(() => isolated.dispose());

  it('seals anew each time but fingerprints the same material of a bank alike, and another bank’s apart', async () => {
    const material = `whsec_${randomBytes(32).toString('base64')}`;
    const first = await sealer.seal('0005', material);
    const second = await sealer.seal('0005', material);
    expect(first.sealedMaterial).not.toEqual(second.sealedMaterial);
    expect(first.sealedMaterial).not.toContain(material.slice('whsec_'.length));
    expect(first.materialFingerprint).toEqual(second.materialFingerprint);
    expect((await sealer.seal('0006', material)).materialFingerprint).not.toEqual(first.materialFingerprint);
    expect(await sealer.open(first.sealedMaterial)).toBe(material);
    expect(await sealer.fingerprintOfSealed('0005', second.sealedMaterial)).toBe(first.materialFingerprint);
  });

  it('fingerprints material it cannot open as null', async () => {
    expect(await sealer.fingerprintOfSealed('0005', 'not-sealed')).toBeNull();
  });
});
