import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  Logger,
  type NestInterceptor,
  Optional,
  StreamableFile,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { lastValueFrom, type Observable, of } from 'rxjs';
import { principalOf } from '../auth/auth-principal';
import { PROBLEM_CONTENT_TYPE } from '../problem/problem';
import { problemFromError } from '../problem/problem-from-error';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, idempotencyKeyFrom } from './idempotency-key';
import { idempotencyKeyReused, idempotentRequestInProgress } from './idempotency-problems';
import type { IdempotencyScope, RecordedResponse } from './idempotency-scope';
import { IdempotencyStore, type Reservation } from './idempotency-store';
import { requestFingerprint } from './request-fingerprint';

/** The scope of requests that carry no authenticated client. */
export const ANONYMOUS_CLIENT_ID = 'anonymous';

export const IDEMPOTENCY_INTERCEPTOR_OPTIONS = Symbol('IDEMPOTENCY_INTERCEPTOR_OPTIONS');

/** A request as authentication leaves it: a passport-style strategy sets `user`. */
export type IdempotentRequest = FastifyRequest & { user?: { readonly clientId?: unknown } };

export interface IdempotencyInterceptorOptions {
  /** Response headers a replay repeats (lower case). Default: location, content-location, content-type, etag. */
  readonly replayedHeaders?: readonly string[];
  /** The authenticated client of a request. Default: the attached `AuthPrincipal`, else `request.user.clientId`. */
  readonly clientIdOf?: (request: IdempotentRequest) => string | undefined;
}

const DEFAULT_REPLAYED_HEADERS = ['location', 'content-location', 'content-type', 'etag'];

/**
 * `Idempotency-Key` on POST (draft-ietf-httpapi-idempotency-key-header): the first request runs and its
 * response is recorded; a retry gets that response again with `Idempotent-Replayed: true`. Register it
 * after authentication has run (guards do) and as the outermost interceptor, so what it records is what
 * the client was sent.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');
  private readonly replayedHeaders: readonly string[];
  private readonly clientIdOf: (request: IdempotentRequest) => string | undefined;

  constructor(
    @Inject(IdempotencyStore) private readonly store: IdempotencyStore,
    @Optional() @Inject(IDEMPOTENCY_INTERCEPTOR_OPTIONS) options: IdempotencyInterceptorOptions | null = null,
  ) {
    this.replayedHeaders = (options?.replayedHeaders ?? DEFAULT_REPLAYED_HEADERS).map((name) => name.toLowerCase());
    this.clientIdOf = options?.clientIdOf ?? authenticatedClientId;
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<IdempotentRequest>();
    if (request.method !== 'POST') return next.handle();
    const key = idempotencyKeyFrom(request.headers[IDEMPOTENCY_KEY_HEADER]);
    if (key === undefined) return next.handle();

    const reply = http.getResponse<FastifyReply>();
    const scope: IdempotencyScope = { clientId: this.clientIdOf(request) ?? ANONYMOUS_CLIENT_ID, key };
    const outcome = await this.store.reserve(scope, requestFingerprint(request.method, request.url, request.body));
    switch (outcome.kind) {
      case 'reserved':
        return of(await this.runOnce(outcome.reservation, reply, next));
      case 'replay':
        return of(replay(reply, outcome.response));
      case 'in_progress':
        throw idempotentRequestInProgress();
      case 'key_reused':
        throw idempotencyKeyReused();
      default:
        return outcome satisfies never;
    }
  }

  private async runOnce(reservation: Reservation, reply: FastifyReply, next: CallHandler): Promise<unknown> {
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      await this.settleFailure(reservation, error);
      throw error;
    }
    if (isBinaryOrStream(body)) {
      await this.safely('release', () => this.store.release(reservation));
    } else {
      const response = { status: reply.statusCode, headers: this.headersToReplay(reply), body };
      await this.safely('record', () => this.store.complete(reservation, response));
    }
    return body;
  }

  /** A client error is the answer to this request, so a retry gets it too; a server fault lets it retry. */
  private async settleFailure(reservation: Reservation, error: unknown): Promise<void> {
    const { problem, unexpected } = problemFromError(error);
    if (unexpected || problem.status >= 500) {
      await this.safely('release', () => this.store.release(reservation));
      return;
    }
    const response = { status: problem.status, headers: { 'content-type': PROBLEM_CONTENT_TYPE }, body: problem };
    await this.safely('record', () => this.store.complete(reservation, response));
  }

  /**
   * The handler's outcome is already decided: failing to bookkeep must not replace it with a 500. A record
   * left in flight makes retries wait (409) until its lease ends, which is safer than running them twice.
   */
  private async safely(action: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      const name = error instanceof Error ? error.name : typeof error;
      this.logger.error(`Could not ${action} an idempotent request's outcome: ${name}`);
    }
  }

  private headersToReplay(reply: FastifyReply): Record<string, string | string[]> {
    const headers: Record<string, string | string[]> = {};
    for (const name of this.replayedHeaders) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.map(String) : String(value);
    }
    return headers;
  }
}

function replay(reply: FastifyReply, response: RecordedResponse): unknown {
  reply.status(response.status);
  for (const [name, value] of Object.entries(response.headers)) reply.header(name, value);
  reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  // As ProblemFilter sends a problem: as bytes, which Fastify sends without adding a charset.
  const isProblem = response.headers['content-type'] === PROBLEM_CONTENT_TYPE;
  return isProblem ? Buffer.from(JSON.stringify(response.body), 'utf8') : response.body;
}

function authenticatedClientId(request: IdempotentRequest): string | undefined {
  const fromPrincipal = principalOf(request)?.clientId;
  if (fromPrincipal !== undefined) return fromPrincipal;
  const fromUser = request.user?.clientId;
  return typeof fromUser === 'string' && fromUser.length > 0 ? fromUser : undefined;
}

/** Bytes and streams are sent as they are, never recorded: a replay could not send them again. */
function isBinaryOrStream(body: unknown): boolean {
  if (body instanceof StreamableFile || body instanceof Uint8Array) return true;
  return typeof body === 'object' && body !== null && typeof (body as { pipe?: unknown }).pipe === 'function';
}
