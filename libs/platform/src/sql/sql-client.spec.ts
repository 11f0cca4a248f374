import type { SqlClient } from './sql-client';
import { SQL_BACKENDS } from './testing/sql-backends';

// The statements every store runs take their parameters and give their rows alike on both clients: PGlite's
// one-message path serialises parameters as the `pg` driver does, and an error leaves the client usable.
describe.each(SQL_BACKENDS)('SqlClient on $name', (backend) => {
  let sql: SqlClient;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ sql, dispose } = await backend.open());
    await sql.exec(`
      CREATE TABLE kinds (
        id     text PRIMARY KEY,
        doc    jsonb,
        at     timestamptz,
        bytes  bytea,
        big    bigint,
        names  text[],
        flag   boolean,
        amount integer
      )`);
  });

  afterAll(async () => {
    await dispose?.();
  });

  it('takes every kind of parameter the stores send and gives the rows back', async () => {
    const at = new Date('2026-12-07T01:02:03.456Z');
    const [inserted] = await sql.query<Record<string, unknown>>(
      `INSERT INTO kinds VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       RETURNING id, doc, at, bytes, big::text AS big, names, flag, amount`,
      [
        'a',
        { nested: [1, 'two', null], text: 'quote " and \\ back' },
        at,
        Buffer.from([0, 1, 254, 255]),
        12345678901234n,
        ['x', 'y "z"', 'back\\slash'],
        true,
        42,
      ],
    );
    expect(inserted).toEqual({
      id: 'a',
      doc: { nested: [1, 'two', null], text: 'quote " and \\ back' },
      at,
      bytes: expect.anything(),
      big: '12345678901234',
      names: ['x', 'y "z"', 'back\\slash'],
      flag: true,
      amount: 42,
    });
    expect(Buffer.from(inserted?.bytes as Uint8Array)).toEqual(Buffer.from([0, 1, 254, 255]));
    // A string for a jsonb parameter is the JSON itself; an absent value is NULL.
    await sql.query('INSERT INTO kinds (id, doc, at) VALUES ($1, $2::jsonb, $3)', ['b', '{"k": "v"}', undefined]);
    await expect(
      sql.query(`SELECT id, doc, at FROM kinds WHERE id = ANY($1::text[]) ORDER BY id`, [['b', 'missing']]),
    ).resolves.toEqual([{ id: 'b', doc: { k: 'v' }, at: null }]);
    await expect(sql.query('SELECT $1::int + 1 AS next', [41])).resolves.toEqual([{ next: 42 }]);
    await expect(sql.query('SELECT id FROM kinds WHERE false')).resolves.toEqual([]);
  });

  it('throws a database error with its code, changes nothing, and goes on answering', async () => {
    await expect(sql.query('INSERT INTO kinds (id) VALUES ($1)', ['a'])).rejects.toMatchObject({ code: '23505' });
    await expect(sql.query('SELECT no_such_column FROM kinds')).rejects.toMatchObject({ code: '42703' });
    await expect(sql.query('SELECT $1::int', ['not a number'])).rejects.toMatchObject({ code: '22P02' });
    await expect(sql.query('SELECT count(*)::int AS n FROM kinds')).resolves.toEqual([{ n: 2 }]);
  });

  it('commits a transaction whole, rolls a failed one back whole, and keeps statements outside it apart', async () => {
    await sql.transaction(async (tx) => {
      await tx.query('INSERT INTO kinds (id, amount) VALUES ($1, $2)', ['t1', 1]);
      await tx.query('UPDATE kinds SET amount = amount + $2 WHERE id = $1', ['t1', 1]);
    });
    await expect(
      sql.transaction(async (tx) => {
        await tx.query('INSERT INTO kinds (id, amount) VALUES ($1, $2)', ['t2', 1]);
        await tx.query('INSERT INTO kinds (id) VALUES ($1)', ['t1']);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    // A statement sent while a transaction is open never sees its uncommitted row: on PGlite (one backend) it
    // waits for the transaction and sees it committed; on the server it runs beside it, here before it commits.
    let outside: Promise<unknown> | undefined;
    await sql.transaction(async (tx) => {
      await tx.query('INSERT INTO kinds (id) VALUES ($1)', ['t3']);
      outside = sql.query('SELECT count(*)::int AS n FROM kinds WHERE id = ANY($1::text[])', [['t3', 't4']]);
      if (sql.kind === 'postgres') await expect(outside).resolves.toEqual([{ n: 0 }]);
      await tx.query('INSERT INTO kinds (id) VALUES ($1)', ['t4']);
    });
    if (sql.kind === 'pglite') await expect(outside).resolves.toEqual([{ n: 2 }]);
    await expect(sql.query(`SELECT id, amount FROM kinds WHERE id LIKE 't%' ORDER BY id`)).resolves.toEqual([
      { id: 't1', amount: 2 },
      { id: 't3', amount: null },
      { id: 't4', amount: null },
    ]);
  });

  it('answers a statement sent again and again, and after its table changed under it', async () => {
    await sql.exec('CREATE TABLE changing (id text PRIMARY KEY)');
    for (const id of ['c1', 'c2', 'c3']) await sql.query('INSERT INTO changing (id) VALUES ($1)', [id]);
    await expect(sql.query('SELECT * FROM changing ORDER BY id')).resolves.toEqual([
      { id: 'c1' },
      { id: 'c2' },
      { id: 'c3' },
    ]);
    // A column more: the same text now gives other columns (PGlite prepares it again).
    await sql.exec('ALTER TABLE changing ADD COLUMN extra integer');
    await expect(sql.query('SELECT * FROM changing ORDER BY id')).resolves.toEqual([
      { id: 'c1', extra: null },
      { id: 'c2', extra: null },
      { id: 'c3', extra: null },
    ]);
    // A table swapped for another by name in a transaction (as a blue/green rebuild does): the same text reads the
    // new one, inside a transaction and outside.
    await sql.query('CREATE TABLE changing_next (id text PRIMARY KEY, extra integer, more integer)');
    await sql.query(`INSERT INTO changing_next VALUES ('n1', 1, 2)`);
    await sql.transaction(async (tx) => {
      await tx.query('ALTER TABLE changing RENAME TO changing_old');
      await tx.query('ALTER TABLE changing_next RENAME TO changing');
    });
    const inTransaction = () => sql.transaction((tx) => tx.query('SELECT * FROM changing ORDER BY id'));
    // PGlite closes its prepared statements on a schema change it runs. On the server the change may come from any
    // process, so a statement whose columns changed fails once there when in a transaction (the transaction fails
    // whole, as on any error), and is prepared again; outside one it is sent again at once.
    if (sql.kind === 'postgres') await expect(inTransaction()).rejects.toMatchObject({ code: '0A000' });
    await expect(inTransaction()).resolves.toEqual([{ id: 'n1', extra: 1, more: 2 }]);
    await expect(sql.query('SELECT * FROM changing ORDER BY id')).resolves.toEqual([{ id: 'n1', extra: 1, more: 2 }]);
    await sql.exec('ALTER TABLE changing ADD COLUMN last integer');
    await expect(sql.query('SELECT * FROM changing ORDER BY id')).resolves.toEqual([
      { id: 'n1', extra: 1, more: 2, last: null },
    ]);
  });

  it('answers every statement text of many, more than it keeps prepared, and a text that failed, once mended', async () => {
    for (let round = 0; round < 2; round++) {
      for (let n = 0; n < 1_100; n += 1) {
        await expect(sql.query(`SELECT $1::int + ${n} AS sum`, [round])).resolves.toEqual([{ sum: n + round }]);
      }
    }
    // Prepared, then failing at execution; the same text again with good values.
    const insert = 'INSERT INTO kinds (id, amount) VALUES ($1, $2)';
    await expect(sql.query(insert, ['a', 1])).rejects.toMatchObject({ code: '23505' });
    await sql.query(insert, ['m1', 1]);
    await expect(sql.query('SELECT no_such FROM kinds WHERE id = $1', ['m1'])).rejects.toMatchObject({ code: '42703' });
    await expect(sql.query('SELECT amount FROM kinds WHERE id = $1', ['m1'])).resolves.toEqual([{ amount: 1 }]);
  });

  it('answers a statement that failed for a table not made yet, once the table is made', async () => {
    // As when one part of the service starts before another made its tables: the failed parse spoils nothing.
    const read = 'SELECT id FROM made_later WHERE id = $1';
    for (let attempt = 0; attempt < 3; attempt++) {
      await expect(sql.query(read, ['x'])).rejects.toMatchObject({ code: '42P01' });
      await expect(sql.transaction((tx) => tx.query(read, ['x']))).rejects.toMatchObject({ code: '42P01' });
    }
    await sql.exec(`CREATE TABLE made_later (id text PRIMARY KEY); INSERT INTO made_later VALUES ('x')`);
    for (let attempt = 0; attempt < 5; attempt++) {
      await expect(sql.query(read, ['x'])).resolves.toEqual([{ id: 'x' }]);
      await expect(sql.transaction((tx) => tx.query(read, ['x']))).resolves.toEqual([{ id: 'x' }]);
    }
  });

  it('delivers a NOTIFY sent as a statement to its listener', async () => {
    const payloads: string[] = [];
    const unlisten = await sql.listen('kinds_channel', (payload) => payloads.push(payload));
    try {
      await sql.query(`SELECT pg_notify('kinds_channel', $1)`, ['hello']);
      const deadline = Date.now() + 5_000;
      while (payloads.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(payloads).toEqual(['hello']);
    } finally {
      await unlisten();
    }
  });
});
