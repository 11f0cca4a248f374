import { ProblemException } from '../problem/problem.exception';
import type { WebhookRejectionCode } from './webhook-verification';

const DETAIL_OF: Readonly<Record<WebhookRejectionCode, string>> = {
  invalid_signature: 'No signature in webhook-signature verifies with a current key of this sender.',
  stale_timestamp: 'webhook-timestamp is too far from the current time.',
  missing_signature_headers: 'webhook-id, webhook-timestamp and webhook-signature are all required.',
  unknown_key: 'This sender has no current key of the kind the webhook was signed with.',
};

/** The 401 answer to a webhook that did not verify. */
export function webhookRejectedProblem(code: WebhookRejectionCode): ProblemException {
  return new ProblemException({ status: 401, code, title: 'Webhook not accepted', detail: DETAIL_OF[code] });
}
