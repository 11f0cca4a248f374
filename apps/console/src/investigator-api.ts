/**
 * The console's only way to the service: the public OAuth token endpoint, the audited investigator API and the
 * operators' admin API (API.md "Authentication", "Investigators", "Operators"). The token lives in these objects,
 * in the tab's memory, and nowhere else: no storage, no cookie.
 */

/** A refusal as the service words it (problem+json `code`, `detail`), or a network failure. */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(detail);
  }
}

/** Who signs in: an investigator reads for a case; an operator acts on blocks and banks and names no case. */
export type Role = 'investigator' | 'operator';

export interface InvestigatorSession {
  role: 'investigator';
  clientId: string;
  caseId: string;
  expiresAt: Date;
  api: InvestigatorApi;
}

export interface OperatorSession {
  role: 'operator';
  clientId: string;
  expiresAt: Date;
  api: OperatorApi;
}

export type Session = InvestigatorSession | OperatorSession;

/** The scope each role's token is asked for (the client must hold it, or the service says invalid_scope). */
const SCOPE_OF: Record<Role, string> = { investigator: 'investigations:read', operator: 'admin' };

async function problemOf(response: Response): Promise<ApiProblem> {
  const body: unknown = await response.json().catch(() => undefined);
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = typeof fields.code === 'string' ? fields.code : typeof fields.error === 'string' ? fields.error : '';
  const detail =
    typeof fields.detail === 'string'
      ? fields.detail
      : typeof fields.error_description === 'string'
        ? fields.error_description
        : response.statusText;
  return new ApiProblem(response.status, code || `http_${response.status}`, detail);
}

async function sent(request: Promise<Response>): Promise<Response> {
  try {
    return await request;
  } catch {
    throw new ApiProblem(0, 'network_error', 'The service could not be reached.');
  }
}

async function tokenFor(
  role: Role,
  clientId: string,
  clientSecret: string,
): Promise<{ accessToken: string; expiresAt: Date }> {
  const response = await sent(
    fetch('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
        scope: SCOPE_OF[role],
      }),
      credentials: 'omit',
    }),
  );
  if (!response.ok) throw await problemOf(response);
  const token = (await response.json()) as { access_token: string; expires_in: number; scope?: string };
  if (typeof token.scope === 'string' && !token.scope.split(' ').includes(SCOPE_OF[role])) {
    throw new ApiProblem(403, 'invalid_scope', `The token was not granted ${SCOPE_OF[role]}.`);
  }
  return { accessToken: token.access_token, expiresAt: new Date(Date.now() + token.expires_in * 1000) };
}

/** Trades the client's id and secret for an investigator token (client credentials), for one case. */
export async function signIn(clientId: string, clientSecret: string, caseId: string): Promise<InvestigatorSession> {
  const { accessToken, expiresAt } = await tokenFor('investigator', clientId, clientSecret);
  return { role: 'investigator', clientId, caseId, expiresAt, api: new InvestigatorApi(accessToken, caseId) };
}

/** Trades an operator client's id and secret for an `admin` token (client credentials); no case is involved. */
export async function signInAsOperator(clientId: string, clientSecret: string): Promise<OperatorSession> {
  const { accessToken, expiresAt } = await tokenFor('operator', clientId, clientSecret);
  return { role: 'operator', clientId, expiresAt, api: new OperatorApi(accessToken) };
}

/** Every read names the case it is for: the service records it before it answers. */
export class InvestigatorApi {
  constructor(
    private readonly accessToken: string,
    private readonly caseId: string,
  ) {}

  async getJson<T>(path: string): Promise<T> {
    const response = await this.get(path, 'application/json');
    return (await response.json()) as T;
  }

  /** The raw answer, for a download. */
  async get(path: string, accept = 'application/json'): Promise<Response> {
    const response = await sent(
      fetch(path, {
        headers: {
          authorization: `Bearer ${this.accessToken}`,
          'x-investigation-case': this.caseId,
          accept,
        },
        credentials: 'omit',
        cache: 'no-store',
      }),
    );
    if (!response.ok) throw await problemOf(response);
    return response;
  }
}

/** The operators' admin API: reads, and changes that the service records with this client and a reason. */
export class OperatorApi {
  constructor(private readonly accessToken: string) {}

  getJson<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  async send<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: object): Promise<T> {
    const response = await sent(
      fetch(path, {
        method,
        headers: {
          authorization: `Bearer ${this.accessToken}`,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        credentials: 'omit',
        cache: 'no-store',
      }),
    );
    if (!response.ok) throw await problemOf(response);
    return (await response.json()) as T;
  }
}
