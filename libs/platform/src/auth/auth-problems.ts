import { ProblemException } from '../problem/problem.exception';

/** The realm of every Bearer challenge, whoever writes it (`AccessTokenStrategy`, `bearerChallenge`). */
export const BEARER_REALM = 'kouza-link';

/** RFC 6750 §3 challenge; `invalid_token` only when a token was presented and failed. */
export function bearerChallenge(error?: 'invalid_token'): string {
  return error ? `Bearer realm="${BEARER_REALM}", error="${error}"` : `Bearer realm="${BEARER_REALM}"`;
}

// Detail stays generic: why a token failed helps an attacker more than an integrator.
export function unauthorizedProblem(): ProblemException {
  return new ProblemException({
    status: 401,
    code: 'unauthorized',
    detail: 'A valid bearer access token is required.',
  });
}

export function forbiddenProblem(): ProblemException {
  return new ProblemException({
    status: 403,
    code: 'forbidden',
    detail: 'The access token does not grant this operation.',
  });
}

export function issuerKeysUnavailableProblem(): ProblemException {
  return new ProblemException({
    status: 503,
    code: 'token_issuer_unavailable',
    detail: 'The keys of the trusted token issuer cannot be fetched right now; retry later.',
  });
}
