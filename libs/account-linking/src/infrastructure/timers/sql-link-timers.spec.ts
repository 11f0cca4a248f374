import { type IsolatedSqlClient, SQL_BACKENDS } from '@lib/platform/sql/testing/sql-backends';
import type { LinkTimerChange, LinkTimerKind } from '../../application/ports/link-timers.port';
import { SqlLinkTimers } from './sql-link-timers';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 10, minute));

describe.each(SQL_BACKENDS)('link timers on $name', (backend) => {
  let db: IsolatedSqlClient;
  let timers: SqlLinkTimers;

  beforeAll(async () => {
    db = await backend.open();
    timers = new SqlLinkTimers(db.sql);
    await timers.ensureSchema();
    await timers.ensureSchema(); // a second start finds the table there
  });
  afterAll(() => db.dispose());
  beforeEach(() => db.sql.query('DELETE FROM link_timers'));

  const schedule = (linkId: string, kind: 'expire' | 'activate', dueAt: Date) =>
    db.sql.transaction((tx) => timers.schedule(tx, linkId, kind, dueAt));

  it('keeps one timer per link and kind: scheduling it again (a replayed event) changes nothing', async () => {
    await schedule('lnk_a', 'expire', at(30));
    await schedule('lnk_a', 'expire', at(45));
    await schedule('lnk_a', 'activate', at(50));
    const due = await timers.claimDue(at(59), at(60), 10);
    expect(due.map((timer) => [timer.kind, timer.dueAt])).toEqual([
      ['expire', at(30)],
      ['activate', at(50)],
    ]);
  });

  it("applies a batch's changes in a few statements exactly as one after another", async () => {
    // Random batches over a few timers, from a random start (absent, pending, fired, cancelled): the rows after
    // `change` with the whole batch must be the rows after each change on its own, in order.
    let seed = 7;
    const random = (n: number) => {
      // mulberry32: deterministic, and every bit of it moves.
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const links = ['lnk_x', 'lnk_y'];
    const kinds: LinkTimerKind[] = ['expire', 'activate', 'dormant'];
    const rows = () =>
      db.sql.query(`SELECT link_id, kind, due_at, fired_at, cancelled_at FROM link_timers ORDER BY link_id, kind`);
    const start = async (layout: number[]) => {
      await db.sql.query('DELETE FROM link_timers');
      for (const [index, state] of layout.entries()) {
        const linkId = links[index % links.length] as string;
        const kind = kinds[Math.floor(index / links.length)] as LinkTimerKind;
        if (state === 0) continue;
        await db.sql.query('INSERT INTO link_timers (link_id, kind, due_at) VALUES ($1, $2, $3)', [
          linkId,
          kind,
          at(1),
        ]);
        if (state === 2)
          await db.sql.query('UPDATE link_timers SET fired_at = $3 WHERE link_id = $1 AND kind = $2', [
            linkId,
            kind,
            at(2),
          ]);
        if (state === 3)
          await db.sql.query('UPDATE link_timers SET cancelled_at = $3 WHERE link_id = $1 AND kind = $2', [
            linkId,
            kind,
            at(3),
          ]);
      }
    };
    for (let round = 0; round < 40; round++) {
      const layout = Array.from({ length: links.length * kinds.length }, () => random(4));
      const batch: LinkTimerChange[] = Array.from({ length: 1 + random(8) }, (_, index) => {
        const linkId = links[random(links.length)] as string;
        return random(2) === 0
          ? { type: 'schedule', linkId, kind: kinds[random(kinds.length)] as LinkTimerKind, dueAt: at(10 + index) }
          : { type: 'cancel', linkId, kinds: kinds.filter(() => random(2) === 0), at: at(30 + index) };
      });
      await start(layout);
      for (const change of batch) await db.sql.transaction((tx) => timers.change(tx, [change]));
      const oneByOne = await rows();
      await start(layout);
      await db.sql.transaction((tx) => timers.change(tx, batch));
      expect({ round, rows: await rows() }).toEqual({ round, rows: oneByOne });
    }
  });

  it('hands out only timers that are due, and each to one claimer until its claim runs out', async () => {
    await schedule('lnk_a', 'expire', at(30));
    await schedule('lnk_b', 'expire', at(40));
    expect(await timers.claimDue(at(29), at(31), 10)).toEqual([]);

    const first = await timers.claimDue(at(35), at(36), 10);
    expect(first).toEqual([{ linkId: 'lnk_a', kind: 'expire', dueAt: at(30), claims: 1 }]);
    expect(await timers.claimDue(at(35), at(36), 10)).toEqual([]);

    // The claimer died: once its claim runs out, the timer is handed out again.
    const again = await timers.claimDue(at(41), at(42), 10);
    expect(again.map((timer) => [timer.linkId, timer.claims])).toEqual([
      ['lnk_a', 2],
      ['lnk_b', 1],
    ]);
  });

  it('never hands out a timer that fired or was cancelled', async () => {
    await schedule('lnk_a', 'expire', at(30));
    await schedule('lnk_b', 'expire', at(30));
    await db.sql.transaction((tx) => timers.cancel(tx, 'lnk_b', ['expire', 'activate'], at(10)));
    const [claimed] = await timers.claimDue(at(31), at(32), 10);
    expect(claimed?.linkId).toBe('lnk_a');
    if (claimed) await timers.markFired(claimed, at(31), 'fired; the link is expired');

    expect(await timers.claimDue(at(59), at(60), 10)).toEqual([]);
    const [row] = await db.sql.query<{ outcome: string }>(`SELECT outcome FROM link_timers WHERE link_id = 'lnk_a'`);
    expect(row?.outcome).toBe('fired; the link is expired');
  });

  it('holds a released timer back until the time it was released to', async () => {
    await schedule('lnk_a', 'activate', at(30));
    const [claimed] = await timers.claimDue(at(30), at(31), 10);
    if (!claimed) throw new Error('nothing claimed');
    await timers.release(claimed, at(35));
    expect(await timers.claimDue(at(34), at(36), 10)).toEqual([]);
    expect(await timers.claimDue(at(35), at(36), 10)).toHaveLength(1);
  });

  it('gives each of many due timers to exactly one of several workers claiming at once', async () => {
    for (let i = 0; i < 40; i++) await schedule(`lnk_${i}`, 'expire', at(30));
    // On the server the pool runs these on separate connections, concurrently.
    const workers = [1, 2, 3].map(() => new SqlLinkTimers(db.sql));
    const claims = await Promise.all(workers.map((worker) => worker.claimDue(at(31), at(32), 15)));
    const ids = claims.flat().map((timer) => timer.linkId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(40);
  });
});
