import passport from 'passport';
import { ACCESS_TOKEN_STRATEGY, AccessTokenStrategy } from './access-token.strategy';
import { InvalidAccessTokenError } from './access-token-claims';
import { type AccessTokenVerifier, IssuerKeysUnavailableError } from './access-token-verifier';
import type { AuthPrincipal } from './auth-principal';

const principal: AuthPrincipal = { clientId: 'app-1', role: 'payment_app', scopes: ['links:read'] };

/** Admits `good.token`, has an outage on `outage`, breaks on `boom` and refuses anything else. */
const verifier: AccessTokenVerifier = {
  async verify(token) {
    if (token === 'good.token') return principal;
    if (token === 'outage') throw new IssuerKeysUnavailableError('the keys could not be fetched');
    if (token === 'boom') throw new RangeError('a bug in the verifier');
    throw new InvalidAccessTokenError('the token did not verify');
  },
};

interface Outcome {
  readonly error: unknown;
  readonly user: unknown;
  readonly challenge: unknown;
}

interface TestRequest {
  readonly headers: { authorization?: string };
  readonly query?: object;
  readonly body?: object;
}

/** Runs passport's `access-token` strategy on a request, the way `AuthGuard` does (custom callback). */
function authenticate(request: TestRequest): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const middleware = passport.authenticate(
      ACCESS_TOKEN_STRATEGY,
      { session: false },
      (error: unknown, user: unknown, challenge: unknown) => resolve({ error, user, challenge }),
    );
    middleware(request, {}, (error: unknown) => reject(error ?? new Error('passport passed without deciding')));
  });
}

describe('AccessTokenStrategy, registered with passport as access-token', () => {
  beforeAll(() => {
    // Building the strategy is what registers it with passport, as Nest does when AuthModule starts.
    new AccessTokenStrategy(verifier);
  });

  it('admits a bearer token the verifier accepts, as its principal', async () => {
    const outcome = await authenticate({ headers: { authorization: 'Bearer good.token' } });
    expect(outcome).toEqual({ error: null, user: principal, challenge: undefined });
  });

  it('takes the scheme in any case, and extra spaces around the token, as the guard always did', async () => {
    const outcome = await authenticate({ headers: { authorization: 'bEaReR   good.token  ' } });
    expect(outcome.user).toEqual(principal);
  });

  it('fails without a token, with another scheme or with no token68, with a bare challenge', async () => {
    const headers = [{}, { authorization: 'Basic YTpi' }, { authorization: 'Bearer' }, { authorization: 'Bearer a b' }];
    for (const header of headers) {
      expect(await authenticate({ headers: header })).toEqual({
        error: null,
        user: false,
        challenge: 'Bearer realm="kouza-link"',
      });
    }
  });

  it('fails a token the verifier refuses with an invalid_token challenge', async () => {
    expect(await authenticate({ headers: { authorization: 'Bearer not.a.good.token' } })).toEqual({
      error: null,
      user: false,
      challenge: 'Bearer realm="kouza-link", error="invalid_token"',
    });
  });

  it('reads no access_token from the query or the body (RFC 6750 §2.2, §2.3)', async () => {
    const outcome = await authenticate({
      headers: {},
      query: { access_token: 'good.token' },
      body: { access_token: 'good.token' },
    });
    expect(outcome).toEqual({ error: null, user: false, challenge: 'Bearer realm="kouza-link"' });
    const both = await authenticate({
      headers: { authorization: 'Bearer good.token' },
      query: { access_token: 'other' },
    });
    expect(both.user).toEqual(principal);
  });

  it('is an error, not a failed authentication, when the issuer keys cannot be fetched or the verifier breaks', async () => {
    const outage = await authenticate({ headers: { authorization: 'Bearer outage' } });
    expect(outage.error).toBeInstanceOf(IssuerKeysUnavailableError);
    expect(outage.user).toBeFalsy();
    expect((await authenticate({ headers: { authorization: 'Bearer boom' } })).error).toBeInstanceOf(RangeError);
  });
});
