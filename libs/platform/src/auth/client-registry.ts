import { randomBytes } from 'node:crypto';
import type { SqlSession } from '../sql/sql-client';
import type { AuthPrincipal } from './auth-principal';
import { CLIENT_ID_PATTERN, type ClientRole, DEFAULT_SCOPES_BY_ROLE, isClientRole, isScopeToken } from './client-role';
import { hashSecret, verifySecret } from './secret-hash';

export interface ClientRegistration {
  readonly clientId: string;
  readonly secret: string;
  readonly role: ClientRole;
  readonly displayName: string;
  /** Defaults to the role's scopes. */
  readonly scopes?: readonly string[];
}

export interface RegisteredClient {
  readonly clientId: string;
  readonly role: ClientRole;
  readonly scopes: readonly string[];
  readonly displayName: string;
  readonly createdAt: Date;
  readonly disabledAt: Date | null;
}

export const MIN_CLIENT_SECRET_LENGTH = 16;
// Bounds the work an unauthenticated caller can make the hash do.
export const MAX_CLIENT_SECRET_LENGTH = 256;

export class ClientAlreadyRegisteredError extends Error {
  override readonly name = 'ClientAlreadyRegisteredError';
  constructor(readonly clientId: string) {
    super(`A client with id ${clientId} is already registered`);
  }
}

export class InvalidClientRegistrationError extends Error {
  override readonly name = 'InvalidClientRegistrationError';
}

interface ClientRow {
  client_id: string;
  secret_hash: string;
  role: string;
  scopes: string[];
  display_name: string;
  created_at: Date;
  disabled_at: Date | null;
}

const COLUMNS = 'client_id, secret_hash, role, scopes, display_name, created_at, disabled_at';

export const CLIENT_REGISTRY = Symbol('CLIENT_REGISTRY');

/** The OAuth clients of the service (payment apps, investigators, operators, banks) and their hashed secrets. */
export class ClientRegistry {
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly sql: SqlSession) {}

  async ensureSchema(): Promise<void> {
    // Replicas starting together would race on CREATE TABLE IF NOT EXISTS without the lock.
    await this.sql.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('kouza-link:api_clients'))`);
      await tx.query(`
        CREATE TABLE IF NOT EXISTS api_clients (
          client_id    text        PRIMARY KEY,
          secret_hash  text        NOT NULL,
          role         text        NOT NULL CHECK (role IN ('payment_app', 'investigator', 'operator', 'bank')),
          scopes       text[]      NOT NULL,
          display_name text        NOT NULL,
          created_at   timestamptz NOT NULL DEFAULT now(),
          disabled_at  timestamptz
        )`);
    });
  }

  /** Adds a new client; an id already taken is a `ClientAlreadyRegisteredError`. */
  async register(registration: ClientRegistration): Promise<RegisteredClient> {
    const values = await this.rowValues(registration);
    const [row] = await this.sql.query<ClientRow>(
      `INSERT INTO api_clients (client_id, secret_hash, role, scopes, display_name) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (client_id) DO NOTHING
       RETURNING ${COLUMNS}`,
      values,
    );
    if (!row) throw new ClientAlreadyRegisteredError(registration.clientId);
    return clientOf(row);
  }

  /** Creates or replaces the client (secret, role, scopes, name); keeps its creation time and any disabling. */
  async upsert(registration: ClientRegistration): Promise<RegisteredClient> {
    const values = await this.rowValues(registration);
    const [row] = await this.sql.query<ClientRow>(
      `INSERT INTO api_clients (client_id, secret_hash, role, scopes, display_name) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (client_id) DO UPDATE SET
         secret_hash = excluded.secret_hash, role = excluded.role,
         scopes = excluded.scopes, display_name = excluded.display_name
       RETURNING ${COLUMNS}`,
      values,
    );
    if (!row) throw new Error('upsert of api_clients returned no row');
    return clientOf(row);
  }

  /**
   * The client when `secret` is its current secret and it is not disabled. An unknown id costs the same
   * hash as a wrong secret, so the answer time does not tell which ids exist.
   */
  async verify(clientId: string, secret: string): Promise<AuthPrincipal | undefined> {
    if (secret.length > MAX_CLIENT_SECRET_LENGTH || !CLIENT_ID_PATTERN.test(clientId)) return undefined;
    const [row] = await this.sql.query<ClientRow>(`SELECT ${COLUMNS} FROM api_clients WHERE client_id = $1`, [
      clientId,
    ]);
    const matches = await verifySecret(secret, row?.secret_hash ?? (await this.hashOfNoSecret()));
    if (!row || !matches || row.disabled_at !== null) return undefined;
    const client = clientOf(row);
    return { clientId: client.clientId, role: client.role, scopes: client.scopes };
  }

  async find(clientId: string): Promise<RegisteredClient | undefined> {
    const [row] = await this.sql.query<ClientRow>(`SELECT ${COLUMNS} FROM api_clients WHERE client_id = $1`, [
      clientId,
    ]);
    return row ? clientOf(row) : undefined;
  }

  /** Its tokens already issued stay valid until they expire (minutes); no new ones are issued. */
  async disable(clientId: string, at = new Date()): Promise<boolean> {
    const rows = await this.sql.query(
      'UPDATE api_clients SET disabled_at = $2 WHERE client_id = $1 AND disabled_at IS NULL RETURNING 1',
      [clientId, at],
    );
    return rows.length === 1;
  }

  private async rowValues(registration: ClientRegistration): Promise<unknown[]> {
    const { clientId, secret, role, displayName } = registration;
    const scopes = [...new Set(registration.scopes ?? DEFAULT_SCOPES_BY_ROLE[role])];
    if (!CLIENT_ID_PATTERN.test(clientId)) {
      throw new InvalidClientRegistrationError(`client id must match ${CLIENT_ID_PATTERN.source}`);
    }
    if (!isClientRole(role)) throw new InvalidClientRegistrationError(`unknown role ${String(role)}`);
    if (secret.length < MIN_CLIENT_SECRET_LENGTH || secret.length > MAX_CLIENT_SECRET_LENGTH) {
      throw new InvalidClientRegistrationError(
        `client secret must be ${MIN_CLIENT_SECRET_LENGTH} to ${MAX_CLIENT_SECRET_LENGTH} characters long`,
      );
    }
    if (!scopes.every(isScopeToken)) throw new InvalidClientRegistrationError('a scope is not an RFC 6749 scope token');
    if (displayName.trim() === '') throw new InvalidClientRegistrationError('display name must not be empty');
    return [clientId, await hashSecret(secret), role, scopes, displayName];
  }

  private hashOfNoSecret(): Promise<string> {
    this.dummyHash ??= hashSecret(randomBytes(24).toString('base64url'));
    return this.dummyHash;
  }
}

function clientOf(row: ClientRow): RegisteredClient {
  if (!isClientRole(row.role)) throw new Error(`api_clients row ${row.client_id} has an unknown role`);
  return {
    clientId: row.client_id,
    role: row.role,
    scopes: row.scopes,
    displayName: row.display_name,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}
