import { type IsolatedSqlClient, SQL_BACKENDS } from '@lib/platform/sql/testing/sql-backends';
import type { QueuedNotification } from '../../application/ports/notification-outbox.port';
import { SqlNotificationOutbox } from './sql-notification-outbox';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 10, minute));

const attempt = (linkId: string, n: number): QueuedNotification => ({
  messageId: `ntf_${linkId}_${n}`,
  linkId,
  attempt: n,
  sealedContact: 'pd1.sealed-contact',
  requestedAt: at(0),
});

describe.each(SQL_BACKENDS)('the notification outbox on $name', (backend) => {
  let db: IsolatedSqlClient;
  let outbox: SqlNotificationOutbox;

  beforeAll(async () => {
    db = await backend.open();
    outbox = new SqlNotificationOutbox(db.sql);
    await outbox.ensureSchema();
    await outbox.ensureSchema();
  });
  afterAll(() => db.dispose());
  beforeEach(() => db.sql.query('DELETE FROM notification_outbox'));

  const enqueue = (notification: QueuedNotification, notBefore = at(0)) =>
    db.sql.transaction((tx) => outbox.enqueue(tx, notification, notBefore));
  const statuses = async () =>
    (
      await db.sql.query<{ message_id: string; status: string }>(
        'SELECT message_id, status FROM notification_outbox ORDER BY message_id',
      )
    ).map((row) => `${row.message_id}:${row.status}`);

  it('queues an attempt once, however often the event that asked for it is replayed', async () => {
    await enqueue(attempt('lnk_a', 1));
    await enqueue(attempt('lnk_a', 1));
    expect(await statuses()).toEqual(['ntf_lnk_a_1:pending']);
    const [claimed] = await outbox.claimDue(at(1), at(2), 10);
    expect(claimed).toEqual({ ...attempt('lnk_a', 1), claims: 1 });
  });

  it('hands a due message to one claimer until its claim runs out, then to the next', async () => {
    await enqueue(attempt('lnk_a', 1), at(5));
    expect(await outbox.claimDue(at(4), at(6), 10)).toEqual([]);
    expect(await outbox.claimDue(at(5), at(6), 10)).toHaveLength(1);
    expect(await outbox.claimDue(at(5), at(6), 10)).toEqual([]);
    expect((await outbox.claimDue(at(6), at(7), 10))[0]?.claims).toBe(2);
  });

  it('remembers a message a channel accepted, so the next claimer records it instead of sending it', async () => {
    await enqueue(attempt('lnk_a', 1));
    await outbox.claimDue(at(1), at(2), 10);
    await outbox.markSent('ntf_lnk_a_1', 'email', at(1));
    const [again] = await outbox.claimDue(at(3), at(4), 10);
    expect(again?.sent).toEqual({ channel: 'email', at: at(1) });
    await outbox.settle('ntf_lnk_a_1', 'delivered', at(3), 'accepted by email');
    expect(await outbox.claimDue(at(9), at(10), 10)).toEqual([]);
    expect(await statuses()).toEqual(['ntf_lnk_a_1:delivered']);
  });

  it('fails an attempt and queues the next in one go, not before its backoff', async () => {
    await enqueue(attempt('lnk_a', 1));
    await outbox.claimDue(at(1), at(2), 10);
    await outbox.failAndRetry('ntf_lnk_a_1', at(1), 'email: smtp ECONNECTION', attempt('lnk_a', 2), at(3));
    expect(await statuses()).toEqual(['ntf_lnk_a_1:failed', 'ntf_lnk_a_2:pending']);
    expect(await outbox.claimDue(at(2), at(3), 10)).toEqual([]);
    expect((await outbox.claimDue(at(3), at(4), 10))[0]?.attempt).toBe(2);
  });

  it('drops what still waits for a link that needs no more notifying, but keeps what a channel took', async () => {
    await enqueue(attempt('lnk_a', 1));
    await enqueue(attempt('lnk_b', 1));
    await outbox.markSent('ntf_lnk_b_1', 'sms', at(1));
    await db.sql.transaction(async (tx) => {
      await outbox.cancelPending(tx, 'lnk_a', at(2), 'link event LinkRevoked');
      await outbox.cancelPending(tx, 'lnk_b', at(2), 'link event LinkRevoked');
    });
    expect(await statuses()).toEqual(['ntf_lnk_a_1:cancelled', 'ntf_lnk_b_1:sent']);
  });

  it("makes a batch's changes as one after another, in a statement per run of one kind", async () => {
    await enqueue(attempt('lnk_old', 1));
    const enqueue1 = (linkId: string) => ({
      kind: 'enqueue' as const,
      notification: attempt(linkId, 1),
      notBefore: at(0),
    });
    const cancel1 = (linkId: string, minute: number) => ({
      kind: 'cancel' as const,
      linkId,
      at: at(minute),
      why: `cancelled at ${minute}`,
    });
    await db.sql.transaction((tx) => {
      const counted = jest.spyOn(tx, 'query');
      return outbox
        .change(tx, [
          enqueue1('lnk_a'),
          enqueue1('lnk_b'),
          enqueue1('lnk_a'), // a replay: left as it is
          cancel1('lnk_a', 3), // sees the row queued just before it
          cancel1('lnk_old', 4),
          cancel1('lnk_a', 5), // nothing pending any more: the first cancellation stays
          enqueue1('lnk_c'), // queued after the cancellations: stays pending
        ])
        .then(() => expect(counted).toHaveBeenCalledTimes(3));
    });
    expect(await statuses()).toEqual([
      'ntf_lnk_a_1:cancelled',
      'ntf_lnk_b_1:pending',
      'ntf_lnk_c_1:pending',
      'ntf_lnk_old_1:cancelled',
    ]);
    const [row] = await db.sql.query<{ detail: string; settled_at: Date }>(
      "SELECT detail, settled_at FROM notification_outbox WHERE message_id = 'ntf_lnk_a_1'",
    );
    expect(row).toEqual({ detail: 'cancelled at 3', settled_at: at(3) });
    // A cancellation before its link's enqueue in the batch leaves the new row pending.
    await db.sql.transaction((tx) => outbox.change(tx, [cancel1('lnk_d', 1), enqueue1('lnk_d')]));
    expect(await statuses()).toContain('ntf_lnk_d_1:pending');
  });
});
