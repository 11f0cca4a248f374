import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { WrongExpectedRevisionError } from '@lib/event-store/wrong-expected-revision.error';
import { CLOCK, type Clock } from '../../ports/clock.port';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../../ports/personal-data-vault.port';
import { type DataSubjectErasure, EraseDataSubjectCommand } from './erase-data-subject.command';

/** One stream per erased subject, named by the subject id (a keyed hash): never the customer reference. */
export const dataSubjectStream = (subjectId: string) => `data-subject-${subjectId}`;

export interface DataSubjectErased {
  type: 'DataSubjectErased';
  data: { subjectId: string; paymentAppId: string; legalBasis: string; erasedAt: string };
}

/**
 * Crypto-shredding: destroys the subject's key first, then records the erasure with its legal basis. In that
 * order a crash between the two leaves the key destroyed and the record missing, which a retry writes (the
 * key's erasure is idempotent and keeps its first instant); the other order could record an erasure whose key
 * still opens. The history keeps every event and every hash: sealed values stay as they were, unreadable.
 */
@CommandHandler(EraseDataSubjectCommand)
export class EraseDataSubjectHandler implements ICommandHandler<EraseDataSubjectCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({
    paymentAppId,
    customerReference,
    legalBasis,
    metadata,
  }: EraseDataSubjectCommand): Promise<DataSubjectErasure> {
    const subjectId = this.vault.subjectFor(paymentAppId, customerReference);
    const erasedAt = (await this.vault.erase(subjectId, this.clock.now())).toISOString();
    const stream = dataSubjectStream(subjectId);
    const [recorded] = await this.store.readStream(stream, { toRevision: 0 });
    if (recorded?.type === 'DataSubjectErased') {
      return { ...(recorded.data as DataSubjectErased['data']), newlyErased: false };
    }
    const event: DataSubjectErased = {
      type: 'DataSubjectErased',
      data: { subjectId, paymentAppId, legalBasis, erasedAt },
    };
    try {
      await this.store.appendToStream(stream, [{ id: randomUUID(), ...event, metadata }], 'no_stream');
    } catch (error) {
      // Two operators at once: the other recorded it first, with its legal basis.
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      const [first] = await this.store.readStream(stream, { toRevision: 0 });
      return { ...(first?.data as DataSubjectErased['data']), newlyErased: false };
    }
    return { ...event.data, newlyErased: true };
  }
}
