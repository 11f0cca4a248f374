export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

export interface ServiceClientOptions {
  /** The service's base URL, e.g. http://localhost:3000. */
  url: string;
  clientId: string;
  clientSecret: string;
  fetch?: Fetch;
}

export interface ProblemFieldError {
  field: string;
  message: string;
}

/** The service answered with a problem (API.md "Conventions"), or could not be reached at all. */
export class ServiceApiError extends Error {
  override readonly name = 'ServiceApiError';

  constructor(
    readonly request: string,
    readonly status: number | undefined,
    readonly code: string,
    readonly detail: string,
    readonly errors: readonly ProblemFieldError[] = [],
  ) {
    super(`${request}: ${status ?? 'no answer'} ${code} ${detail}`.trim());
  }
}

/**
 * A client of the service's HTTP API under one OAuth client: it gets its own access token at
 * `/oauth/token` (client credentials) on first use. PGlite is one process only: the CLI never opens the
 * data folder, it asks the running service.
 */
export class ServiceClient {
  private token: string | undefined;
  private readonly fetch: Fetch;

  constructor(
    protected readonly options: ServiceClientOptions,
    /** The scope to ask for; undefined: every scope the client is granted. */
    private readonly scope: string | undefined,
  ) {
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
  }

  protected async call<T>(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await this.accessToken()}`,
      ...options.headers,
    };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.send(`${method} ${path}`, path, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    return (await response.json().catch(() => ({}))) as T;
  }

  private async accessToken(): Promise<string> {
    if (this.token) return this.token;
    const response = await this.send('POST /oauth/token', '/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
        ...(this.scope !== undefined ? { scope: this.scope } : {}),
      }).toString(),
    });
    const body = (await response.json().catch(() => ({}))) as { access_token?: string };
    if (!body.access_token) {
      throw new ServiceApiError('POST /oauth/token', response.status, 'no_access_token', 'the answer had no token');
    }
    this.token = body.access_token;
    return this.token;
  }

  /** The answer when it is a success; a `ServiceApiError` with the problem's code and detail otherwise. */
  private async send(request: string, path: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await this.fetch(new URL(path, this.options.url).toString(), init);
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ServiceApiError(
        request,
        undefined,
        'service_unreachable',
        `cannot reach the service at ${this.options.url} (${cause?.code ?? cause?.message ?? String(error)})`,
      );
    }
    if (response.ok) return response;
    const problem = (await response.json().catch(() => ({}))) as {
      code?: string;
      detail?: string;
      title?: string;
      errors?: ProblemFieldError[];
    };
    throw new ServiceApiError(
      request,
      response.status,
      problem.code ?? `http_${response.status}`,
      problem.detail ?? problem.title ?? response.statusText,
      Array.isArray(problem.errors) ? problem.errors : [],
    );
  }
}
