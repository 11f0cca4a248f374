import type { RecordedEvent } from '@lib/event-store/event-store.port';
import { assertTableName, type RebuildableProjection } from '@lib/event-store/projections/rebuildable-projection';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import { ACTOR_STREAM_PREFIX } from '../../application/link-streams';
import type {
  ActorAttemptRefused,
  ActorAttemptRegistered,
  ActorBlocked,
} from '../../domain/actor/actor-defence.events';
import { lockedSchemaChange } from './locked-schema-change';

const later = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);
const earlier = (a: string, b: string) => (Date.parse(a) <= Date.parse(b) ? a : b);

/**
 * Read model of the actors' signals: `rm_actor_accounts` (per actor stream, each account it tried and when it
 * last did: a request registered with its defences or refused by them) and `rm_actor_profiles` (when it was
 * first blocked). Windowed counts are taken at query time, so the rows never need a timer.
 */
export class ActorSignalsProjection implements RebuildableProjection {
  static readonly NAME = 'actor-signals';
  readonly name = ActorSignalsProjection.NAME;
  readonly filter = {
    streamPrefixes: [ACTOR_STREAM_PREFIX],
    eventTypes: ['ActorAttemptRegistered', 'ActorAttemptRefused', 'ActorBlocked'],
  };
  readonly tables: readonly string[];
  private readonly accounts: string;
  private readonly profiles: string;

  constructor(private readonly suffix = '') {
    this.accounts = assertTableName(`rm_actor_accounts${suffix}`);
    this.profiles = assertTableName(`rm_actor_profiles${suffix}`);
    this.tables = [this.accounts, this.profiles];
  }

  withTableSuffix(suffix: string): ActorSignalsProjection {
    return new ActorSignalsProjection(`${this.suffix}${suffix}`);
  }

  async setUp(db: SqlExecutor): Promise<void> {
    await db.query(
      lockedSchemaChange(
        this.accounts,
        `CREATE TABLE IF NOT EXISTS ${this.accounts} (
          stream_name   text        NOT NULL,
          account_token text        NOT NULL,
          last_tried_at timestamptz NOT NULL,
          PRIMARY KEY (stream_name, account_token)
        );
        CREATE TABLE IF NOT EXISTS ${this.profiles} (
          stream_name      text        PRIMARY KEY,
          first_blocked_at timestamptz NOT NULL
        );`,
      ),
    );
  }

  async apply(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    // One row per key in each statement: an upsert may not touch a row twice.
    const tried = new Map<string, { stream_name: string; account_token: string; last_tried_at: string }>();
    const blocked = new Map<string, string>();
    for (const event of events) {
      if (event.type === 'ActorBlocked') {
        const { at } = event.data as ActorBlocked['data'];
        const known = blocked.get(event.streamName);
        blocked.set(event.streamName, known ? earlier(known, at) : at);
        continue;
      }
      const { accountToken, at } = event.data as (ActorAttemptRegistered | ActorAttemptRefused)['data'];
      const key = `${event.streamName}\u0000${accountToken}`;
      const known = tried.get(key);
      tried.set(key, {
        stream_name: event.streamName,
        account_token: accountToken,
        last_tried_at: known ? later(known.last_tried_at, at) : at,
      });
    }
    if (tried.size > 0) {
      await tx.query(
        `INSERT INTO ${this.accounts} (stream_name, account_token, last_tried_at)
         SELECT stream_name, account_token, last_tried_at
           FROM jsonb_to_recordset($1::jsonb) AS r(stream_name text, account_token text, last_tried_at timestamptz)
         ON CONFLICT (stream_name, account_token)
           DO UPDATE SET last_tried_at = GREATEST(${this.accounts}.last_tried_at, excluded.last_tried_at)`,
        [JSON.stringify([...tried.values()])],
      );
    }
    if (blocked.size > 0) {
      await tx.query(
        `INSERT INTO ${this.profiles} (stream_name, first_blocked_at)
         SELECT stream_name, first_blocked_at
           FROM jsonb_to_recordset($1::jsonb) AS r(stream_name text, first_blocked_at timestamptz)
         ON CONFLICT (stream_name)
           DO UPDATE SET first_blocked_at = LEAST(${this.profiles}.first_blocked_at, excluded.first_blocked_at)`,
        [JSON.stringify([...blocked].map(([stream_name, first_blocked_at]) => ({ stream_name, first_blocked_at })))],
      );
    }
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query(`TRUNCATE ${this.accounts}, ${this.profiles}`);
  }
}
