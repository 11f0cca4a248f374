/** What a value of a crypto-shredded data subject decrypts to: the history keeps its shape, not its content. */
export class ErasedPersonalData {
  readonly erased = true;

  constructor(
    readonly subjectId: string,
    readonly erasedAt: Date,
  ) {}
}
