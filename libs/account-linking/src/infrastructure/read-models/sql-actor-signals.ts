import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type { ActorSignal, ActorSignals } from '../../application/ports/actor-signals.port';

/** `rm_actor_accounts` and `rm_actor_profiles`, as `ActorSignalsProjection` writes them. */
export class SqlActorSignals implements ActorSignals {
  constructor(private readonly sql: SqlExecutor) {}

  async of(
    actorStreams: readonly string[],
    windows: { since24h: Date; since30d: Date },
  ): Promise<Map<string, ActorSignal>> {
    const signals = new Map<string, ActorSignal>(
      actorStreams.map((stream) => [stream, { accountsTried24h: 0, accountsTried30d: 0, everBlocked: false }]),
    );
    if (actorStreams.length === 0) return signals;
    const streams = [...new Set(actorStreams)];
    const tried = await this.sql.query<{ stream_name: string; day: string | number; month: string | number }>(
      `SELECT stream_name,
              count(*) FILTER (WHERE last_tried_at > $2) AS day,
              count(*) FILTER (WHERE last_tried_at > $3) AS month
         FROM rm_actor_accounts
        WHERE stream_name = ANY($1::text[])
        GROUP BY stream_name`,
      [streams, windows.since24h, windows.since30d],
    );
    for (const row of tried) {
      const signal = signals.get(row.stream_name);
      if (signal) Object.assign(signal, { accountsTried24h: Number(row.day), accountsTried30d: Number(row.month) });
    }
    const blocked = await this.sql.query<{ stream_name: string }>(
      `SELECT stream_name FROM rm_actor_profiles WHERE stream_name = ANY($1::text[])`,
      [streams],
    );
    for (const row of blocked) {
      const signal = signals.get(row.stream_name);
      if (signal) signal.everBlocked = true;
    }
    return signals;
  }
}
