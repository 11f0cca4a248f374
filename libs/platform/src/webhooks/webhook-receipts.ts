import type { SqlExecutor } from '../sql/sql-client';

/** Durable de-duplication of `webhook-id` per sender: a repeated delivery is acknowledged but has no effect. */
export class WebhookReceipts {
  constructor(private readonly sql: SqlExecutor) {}

  async ensureSchema(): Promise<void> {
    await this.sql.query(`
      CREATE TABLE IF NOT EXISTS webhook_receipts (
        sender      text        NOT NULL,
        webhook_id  text        NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (sender, webhook_id)
      )`);
  }

  /**
   * True the first time `webhookId` is seen from `sender`. Run it in the transaction that applies the
   * webhook's effect: a rollback then forgets the receipt, and a concurrent duplicate waits for the outcome.
   */
  async recordOnce(
    executor: SqlExecutor,
    sender: string,
    webhookId: string,
    receivedAt = new Date(),
  ): Promise<boolean> {
    const inserted = await executor.query(
      `INSERT INTO webhook_receipts (sender, webhook_id, received_at) VALUES ($1, $2, $3)
       ON CONFLICT (sender, webhook_id) DO NOTHING
       RETURNING 1`,
      [sender, webhookId, receivedAt],
    );
    return inserted.length === 1;
  }

  /** Forgets one receipt, so that a delivery whose processing failed on our side can be retried by the sender. */
  async forget(sender: string, webhookId: string): Promise<void> {
    await this.sql.query('DELETE FROM webhook_receipts WHERE sender = $1 AND webhook_id = $2', [sender, webhookId]);
  }

  /** Safe for a cutoff at least twice the timestamp tolerance ago: a replay of older receipts is stale. */
  async forgetReceivedBefore(cutoff: Date): Promise<number> {
    const [row] = await this.sql.query<{ deleted: number }>(
      `WITH gone AS (DELETE FROM webhook_receipts WHERE received_at < $1 RETURNING 1)
       SELECT count(*)::int AS deleted FROM gone`,
      [cutoff],
    );
    return row?.deleted ?? 0;
  }
}
