/** The value is not one this service encrypted, was altered, or its subject has no key. */
export class PersonalDataDecryptionError extends Error {
  override readonly name = 'PersonalDataDecryptionError';
}

/** Personal data of an erased subject must not be recorded again under the same subject id. */
export class SubjectErasedError extends Error {
  override readonly name = 'SubjectErasedError';

  constructor(readonly subjectId: string) {
    super(`Data subject ${subjectId} has been erased`);
  }
}
