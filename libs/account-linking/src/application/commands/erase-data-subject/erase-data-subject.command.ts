import type { EventMetadata } from '@lib/event-store/event-store.port';
import { Command } from '@nestjs/cqrs';

export interface DataSubjectErasure {
  subjectId: string;
  paymentAppId: string;
  legalBasis: string;
  erasedAt: string;
  /** False when the subject had already been erased: nothing new was destroyed or recorded. */
  newlyErased: boolean;
}

/** An operator erases a data subject (a payment app's customer) on a lawful request (R14). */
export class EraseDataSubjectCommand extends Command<DataSubjectErasure> {
  constructor(
    readonly paymentAppId: string,
    readonly customerReference: string,
    readonly legalBasis: string,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
