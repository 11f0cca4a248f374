/** An idempotency key as one client sent it: the same key from another client is another record. */
export interface IdempotencyScope {
  readonly clientId: string;
  readonly key: string;
}

/** What a replay sends again. */
export interface RecordedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body: unknown;
}
