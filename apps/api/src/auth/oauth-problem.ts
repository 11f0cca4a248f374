import { ProblemException } from '@lib/platform/problem/problem.exception';

/** RFC 6749 §5.2 error codes, rendered in this service's problem+json shape. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope';

const STATUS_OF: Readonly<Record<OAuthErrorCode, number>> = {
  invalid_request: 400,
  invalid_client: 401,
  unsupported_grant_type: 400,
  invalid_scope: 400,
};

const TITLE_OF: Readonly<Record<OAuthErrorCode, string>> = {
  invalid_request: 'Invalid token request',
  invalid_client: 'Client authentication failed',
  unsupported_grant_type: 'Unsupported grant type',
  invalid_scope: 'Invalid scope',
};

export function oauthProblem(code: OAuthErrorCode, detail: string): ProblemException {
  return new ProblemException({ status: STATUS_OF[code], code, title: TITLE_OF[code], detail });
}
