import { isScopeToken } from '@lib/platform/auth/client-role';
import { oauthProblem } from './oauth-problem';

/** A client-credentials token request, whichever way the client authenticated. */
export interface ClientCredentialsRequest {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Undefined when the client asked for no scope in particular: it gets all of its own. */
  readonly requestedScopes: readonly string[] | undefined;
}

const PARAMETERS = ['grant_type', 'client_id', 'client_secret', 'scope'] as const;
type Parameter = (typeof PARAMETERS)[number];

/** RFC 8414 names of the two ways `parseTokenRequest` lets a client authenticate. */
export const TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'] as const;

export const BASIC_SCHEME = /^Basic(?: |$)/i;
const BASIC_CREDENTIALS = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i;

/** Reads a form or JSON body (RFC 6749 §4.4.2) and an optional `Authorization: Basic` header (§2.3.1). */
export function parseTokenRequest(body: unknown, authorization: string | undefined): ClientCredentialsRequest {
  const parameters = parametersOf(body);
  const grantType = parameters.get('grant_type');
  if (grantType === undefined) throw oauthProblem('invalid_request', 'grant_type is required.');
  if (grantType !== 'client_credentials') {
    throw oauthProblem('unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
  }
  const requestedScopes = scopesOf(parameters.get('scope'));
  if (authorization !== undefined && BASIC_SCHEME.test(authorization)) {
    if (parameters.has('client_secret')) {
      throw oauthProblem('invalid_request', 'Authenticate with HTTP Basic or with client_secret, not both.');
    }
    const { clientId, clientSecret } = basicCredentialsOf(authorization);
    const bodyClientId = parameters.get('client_id');
    if (bodyClientId !== undefined && bodyClientId !== clientId) {
      throw oauthProblem('invalid_request', 'client_id differs from the client of the Authorization header.');
    }
    return { clientId, clientSecret, requestedScopes };
  }
  const clientId = parameters.get('client_id');
  const clientSecret = parameters.get('client_secret');
  if (!clientId || !clientSecret) {
    throw oauthProblem('invalid_client', 'Client authentication is required: client_id and client_secret.');
  }
  return { clientId, clientSecret, requestedScopes };
}

function parametersOf(body: unknown): Map<Parameter, string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw oauthProblem('invalid_request', 'Send the parameters as application/x-www-form-urlencoded or JSON.');
  }
  const parameters = new Map<Parameter, string>();
  for (const name of PARAMETERS) {
    if (!Object.hasOwn(body, name)) continue;
    const value: unknown = (body as Record<string, unknown>)[name];
    // A repeated form parameter arrives as an array: §3.2 forbids repeating them.
    if (typeof value !== 'string') throw oauthProblem('invalid_request', `${name} must be given once, as a string.`);
    parameters.set(name, value);
  }
  return parameters;
}

function scopesOf(scope: string | undefined): readonly string[] | undefined {
  if (scope === undefined || scope.trim() === '') return undefined;
  const tokens = scope.split(' ').filter((token) => token !== '');
  if (!tokens.every(isScopeToken)) throw oauthProblem('invalid_scope', 'scope is not a list of scope tokens.');
  return [...new Set(tokens)];
}

function basicCredentialsOf(authorization: string): { clientId: string; clientSecret: string } {
  const encoded = BASIC_CREDENTIALS.exec(authorization)?.[1];
  const decoded = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const clientId = colon > 0 ? formDecode(decoded.slice(0, colon)) : undefined;
  const clientSecret = colon > 0 ? formDecode(decoded.slice(colon + 1)) : undefined;
  if (!clientId || !clientSecret) {
    throw oauthProblem('invalid_client', 'The Authorization header does not carry client_id:client_secret.');
  }
  return { clientId, clientSecret };
}

/** §2.3.1: both halves are form-urlencoded before they are joined and base64-encoded. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
