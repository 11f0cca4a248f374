import type { RebuildProgress } from '@lib/event-store/projections/blue-green-rebuild';

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

export interface AdminClientOptions {
  /** The service's base URL, e.g. http://localhost:3000. */
  url: string;
  clientId: string;
  clientSecret: string;
  fetch?: Fetch;
}

export class AdminApiError extends Error {
  override readonly name = 'AdminApiError';
}

/** The operator endpoints the CLI uses, over HTTP (PGlite is one process only: the CLI never opens the data folder). */
export class AdminClient {
  private token: string | undefined;
  private readonly fetch: Fetch;

  constructor(private readonly options: AdminClientOptions) {
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
  }

  startRebuild(projection: string): Promise<RebuildProgress> {
    return this.call('POST', `/v1/admin/projections/${encodeURIComponent(projection)}/rebuild`);
  }

  rebuildProgress(projection: string): Promise<RebuildProgress> {
    return this.call('GET', `/v1/admin/projections/${encodeURIComponent(projection)}/rebuild`);
  }

  projections(): Promise<{
    projections: { projection: string; eventsBehind: number; oldestPendingSeconds: number }[];
  }> {
    return this.call('GET', '/v1/admin/projections');
  }

  private async call<T>(method: string, path: string): Promise<T> {
    const response = await this.fetch(new URL(path, this.options.url).toString(), {
      method,
      headers: { authorization: `Bearer ${await this.accessToken()}` },
    });
    const body = (await response.json().catch(() => ({}))) as T & { code?: string; detail?: string };
    if (!response.ok)
      throw new AdminApiError(`${method} ${path}: ${response.status} ${body.code ?? ''} ${body.detail ?? ''}`);
    return body;
  }

  private async accessToken(): Promise<string> {
    if (this.token) return this.token;
    const response = await this.fetch(new URL('/oauth/token', this.options.url).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
        scope: 'admin',
      }).toString(),
    });
    const body = (await response.json().catch(() => ({}))) as { access_token?: string };
    if (!response.ok || !body.access_token) throw new AdminApiError(`POST /oauth/token: ${response.status}`);
    this.token = body.access_token;
    return this.token;
  }
}
