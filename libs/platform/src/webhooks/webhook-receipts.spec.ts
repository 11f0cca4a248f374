import { type IsolatedSqlClient, SQL_BACKENDS } from '../sql/testing/sql-backends';
import type { SqlClient } from '../sql/sql-client';
import { WebhookReceipts } from './webhook-receipts';

describe.each(SQL_BACKENDS)('WebhookReceipts on $name', (backend) => {
  let isolated: IsolatedSqlClient;
  let sql: SqlClient;
  let receipts: WebhookReceipts;

  beforeAll(async () => {
    isolated = await backend.open();
    sql = isolated.sql;
    receipts = new WebhookReceipts(sql);
    await receipts.ensureSchema();
    await receipts.ensureSchema();
  });

  afterAll(async () => {
    await isolated.dispose();
  });

  it('records a webhook id the first time only', async () => {
    expect(await receipts.recordOnce(sql, '0001', 'msg_a')).toBe(true);
    expect(await receipts.recordOnce(sql, '0001', 'msg_a')).toBe(false);
  });

  it('keeps the ids of different senders apart', async () => {
    expect(await receipts.recordOnce(sql, '0001', 'msg_b')).toBe(true);
    expect(await receipts.recordOnce(sql, '0005', 'msg_b')).toBe(true);
  });

  it('forgets a receipt whose transaction rolled back', async () => {
    await expect(
      sql.transaction(async (tx) => {
        expect(await receipts.recordOnce(tx, '0001', 'msg_c')).toBe(true);
        throw new Error('effect failed');
      }),
    ).rejects.toThrow('effect failed');
    expect(await receipts.recordOnce(sql, '0001', 'msg_c')).toBe(true);
  });

  it('lets only one of two concurrent transactions record the same id', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let signalRecorded = () => {};
    const recorded = new Promise<void>((resolve) => {
      signalRecorded = resolve;
    });
    const first = sql.transaction(async (tx) => {
      const isFirst = await receipts.recordOnce(tx, '0001', 'msg_d');
      signalRecorded();
      await gate;
      return isFirst;
    });
    await recorded;
    const second = sql.transaction((tx) => receipts.recordOnce(tx, '0001', 'msg_d'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    expect(await Promise.all([first, second])).toEqual([true, false]);
  });

  it('forgets receipts received before a cutoff', async () => {
    await receipts.recordOnce(sql, '0009', 'old', new Date('2000-01-01T00:00:00Z'));
    await receipts.recordOnce(sql, '0009', 'recent', new Date('2000-01-02T00:00:00Z'));
    expect(await receipts.forgetReceivedBefore(new Date('2000-01-01T12:00:00Z'))).toBe(1);
    expect(await receipts.recordOnce(sql, '0009', 'old')).toBe(true);
    expect(await receipts.recordOnce(sql, '0009', 'recent')).toBe(false);
  });
});
