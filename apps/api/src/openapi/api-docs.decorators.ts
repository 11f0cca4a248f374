import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOAuth2, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { INVESTIGATION_CASE_HEADER } from '@lib/platform/auth/investigation-case';
import { PROBLEM_CONTENT_TYPE } from '@lib/platform/problem/problem';
import {
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from '@lib/platform/webhooks/webhook-headers';
import { ProblemDetailsSchema } from './problem-details.schema';

/** Names of the security schemes of the document (see openapi-document.ts). */
export const OAUTH2_SECURITY = 'oauth2';
export const BEARER_SECURITY = 'bearer';

/** Error answers of an operation, by status, each an `application/problem+json` body. */
export function ApiProblems(answers: Readonly<Record<number, string>>) {
  return applyDecorators(
    ...Object.entries(answers).map(([status, description]) =>
      ApiResponse({
        status: Number(status),
        description,
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsSchema) } } },
      }),
    ),
  );
}

/** The route takes an access token from `POST /oauth/token` (a bearer JWT) carrying these scopes. */
export function ApiAccessToken(...scopes: string[]) {
  return applyDecorators(
    ApiBearerAuth(BEARER_SECURITY),
    ApiOAuth2(scopes, OAUTH2_SECURITY),
    ApiProblems({
      401: 'No access token, or an invalid or expired one (`unauthorized`)',
      403: 'The token lacks the role or a scope of this route (`forbidden`)',
    }),
  );
}

/** `Idempotency-Key` on a POST from an app (API.md "Conventions"). */
export function ApiIdempotencyKey() {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'One key per logical request (1–255 printable ASCII characters). A retry with the same key and body ' +
        'gets the first response again, with `Idempotent-Replayed: true`; the same key with another body is ' +
        'refused (422 `idempotency_key_reused`); a retry while the first is running gets 409.',
      schema: { type: 'string', maxLength: 255, example: '6f1c9a52-3b0e-4f5e-9a43-0d7c2b8f1e11' },
    }),
    ApiProblems({
      409: 'The link changed meanwhile, or a request with this Idempotency-Key is still running',
    }),
  );
}

/** Investigator routes name the case they serve (API.md "Authentication"). */
export function ApiInvestigationCase() {
  return applyDecorators(
    ApiHeader({
      name: INVESTIGATION_CASE_HEADER,
      required: true,
      description: 'The investigation case this read serves; recorded with the access.',
      schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,64}$', example: 'CASE-2026-0042' },
    }),
    ApiProblems({ 400: 'No or a malformed X-Investigation-Case (`investigation_case_required`)' }),
  );
}

/** Standard Webhooks signature headers (API.md "Banks"). */
export function ApiWebhookSignature() {
  return applyDecorators(
    ApiHeader({
      name: WEBHOOK_ID_HEADER,
      required: true,
      description: 'Unique message id; a repeated id is acknowledged and has no second effect.',
      schema: { type: 'string', example: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W' },
    }),
    ApiHeader({
      name: WEBHOOK_TIMESTAMP_HEADER,
      required: true,
      description: 'Unix seconds; more than 5 minutes from the service clock is refused.',
      schema: { type: 'string', pattern: '^\\d+$', example: '1795600000' },
    }),
    ApiHeader({
      name: WEBHOOK_SIGNATURE_HEADER,
      required: true,
      description:
        'Space-separated signatures of `{webhook-id}.{webhook-timestamp}.{raw body}`: ' +
        '`v1,<base64 HMAC-SHA256>` with the base64-decoded part of the `whsec_…` secret as key, ' +
        'or `v1a,<base64 Ed25519 signature>`.',
      schema: { type: 'string', example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=' },
    }),
  );
}
