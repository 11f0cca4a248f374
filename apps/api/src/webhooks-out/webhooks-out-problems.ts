import { InvalidCursorError } from '@lib/account-linking/application/ports/link-read-model.port';
import { WebhooksOutRefused } from '@lib/account-linking/application/webhooks-out/webhooks-out-refused.error';
import { WebhookEndpointRefused } from '@lib/account-linking/domain/webhook-endpoint/webhook-endpoint.error';
import { WrongExpectedRevisionError } from '@lib/event-store/wrong-expected-revision.error';
import { forbiddenProblem } from '@lib/platform/auth/auth-problems';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import { ProblemException } from '@lib/platform/problem/problem.exception';
import { fieldValidationProblem } from '@lib/platform/problem/validation-problem';
import type { WebhookAudience } from '@lib/account-linking/domain/webhook-endpoint/webhook-endpoint.events';
import { bankCodeOfClient } from '../banks/bank-client';

const STATUS_BY_CODE: Record<WebhooksOutRefused['code'] | WebhookEndpointRefused['code'], number> = {
  webhook_url_not_allowed: 422,
  webhook_endpoint_not_found: 404,
  webhook_endpoint_exists: 409,
};

/** Webhooks-out refusals become problem+json here, at the edge; everything else passes through. */
export async function mappingWebhooksOutErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof WebhooksOutRefused || error instanceof WebhookEndpointRefused) {
      throw new ProblemException({ status: STATUS_BY_CODE[error.code], code: error.code, detail: error.message });
    }
    if (error instanceof InvalidCursorError) {
      throw fieldValidationProblem([{ field: 'cursor', message: 'cursor must be a nextCursor this service returned' }]);
    }
    if (error instanceof WrongExpectedRevisionError) {
      throw new ProblemException({
        status: 409,
        code: 'concurrent_modification',
        detail: 'The endpoint changed while this request was processed; retry it',
      });
    }
    throw error;
  }
}

/** Whose endpoints and events these are: a payment app's own, or the bank's (a `bank-<code>` client). */
export function audienceOf(principal: AuthPrincipal): WebhookAudience {
  if (principal.role === 'payment_app') return { kind: 'payment_app', id: principal.clientId };
  const bankCode = principal.role === 'bank' ? bankCodeOfClient(principal.clientId) : undefined;
  if (bankCode === undefined) throw forbiddenProblem();
  return { kind: 'bank', id: bankCode };
}
