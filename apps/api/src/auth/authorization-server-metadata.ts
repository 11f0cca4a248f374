import { DEFAULT_SCOPES_BY_ROLE } from '@lib/platform/auth/client-role';
import { TOKEN_ENDPOINT_AUTH_METHODS } from './token-request';

/** RFC 8414 §2 authorization-server metadata, the members this service has something to say about. */
export interface AuthorizationServerMetadata {
  readonly issuer: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
  readonly grant_types_supported: readonly string[];
  readonly token_endpoint_auth_methods_supported: readonly string[];
  readonly scopes_supported: readonly string[];
  /** Required by §2; empty, as there is no authorization endpoint. */
  readonly response_types_supported: readonly string[];
}

/** The RFC 8414 well-known path suffix, and the paths below the issuer of the routes the metadata names. */
export const AUTHORIZATION_SERVER_METADATA_PATH = '/.well-known/oauth-authorization-server';
export const TOKEN_ENDPOINT_PATH = '/oauth/token';
export const JWKS_PATH = '/.well-known/jwks.json';

/** Every scope a client of some role is granted (`DEFAULT_SCOPES_BY_ROLE`), once each. */
export const SUPPORTED_SCOPES: readonly string[] = [...new Set(Object.values(DEFAULT_SCOPES_BY_ROLE).flat())];

/**
 * What `GET /.well-known/oauth-authorization-server` answers, fixed at start from `JWT_ISSUER`: the
 * metadata, and the issuer's path that RFC 8414 §3.1 inserts after the well-known prefix (`''` for an
 * issuer at the root of its host); or why there is none.
 */
export type AuthorizationServerDiscovery =
  | { readonly published: true; readonly metadata: AuthorizationServerMetadata; readonly issuerPath: string }
  | { readonly published: false; readonly detail: string };

export const AUTHORIZATION_SERVER_DISCOVERY = Symbol('AUTHORIZATION_SERVER_DISCOVERY');

/**
 * The metadata of this service as the issuer `JWT_ISSUER` names it. RFC 8414 §2 wants the issuer to be a
 * URL without query or fragment, which discovery clients compare with the URL they discovered from; any
 * other issuer (the default `kouza-link`) publishes nothing, because no compliant client could accept it.
 * `http:` is accepted as well as `https:`, for local development.
 */
export function authorizationServerDiscoveryOf(issuer: string): AuthorizationServerDiscovery {
  const url = URL.canParse(issuer) ? new URL(issuer) : undefined;
  const usable =
    (url?.protocol === 'https:' || url?.protocol === 'http:') &&
    url.username === '' &&
    url.password === '' &&
    !/[?#]/.test(issuer);
  if (!url || !usable) {
    return {
      published: false,
      detail:
        `The token issuer (JWT_ISSUER) is "${issuer}", not an http(s) URL without query or fragment, so no ` +
        'RFC 8414 metadata can name it. ' +
        "Set JWT_ISSUER to the service's public URL (for example https://kouza-link.example) to publish it.",
    };
  }
  // The endpoints live below the issuer, wherever a proxy mounts the service.
  const base = issuer.replace(/\/+$/, '');
  return {
    published: true,
    issuerPath: url.pathname.replace(/\/+$/, ''),
    metadata: {
      issuer,
      token_endpoint: `${base}${TOKEN_ENDPOINT_PATH}`,
      jwks_uri: `${base}${JWKS_PATH}`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
      scopes_supported: SUPPORTED_SCOPES,
      response_types_supported: [],
    },
  };
}
