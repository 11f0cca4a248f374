/**
 * The console's only way to the service: the public OAuth token endpoint and the audited investigator API
 * (API.md "Authentication", "Investigators"). The token lives in this object, in the tab's memory, and
 * nowhere else: no storage, no cookie.
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

export interface Session {
  clientId: string;
  caseId: string;
  expiresAt: Date;
  api: InvestigatorApi;
}

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

/** Trades the client's id and secret for an investigator token (client credentials), for one case. */
export async function signIn(clientId: string, clientSecret: string, caseId: string): Promise<Session> {
  const response = await sent(
    fetch('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
        scope: 'investigations:read',
      }),
      credentials: 'omit',
    }),
  );
  if (!response.ok) throw await problemOf(response);
  const token = (await response.json()) as { access_token: string; expires_in: number };
  return {
    clientId,
    caseId,
    expiresAt: new Date(Date.now() + token.expires_in * 1000),
    api: new InvestigatorApi(token.access_token, caseId),
  };
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
