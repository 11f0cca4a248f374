import { PGLITE_REPLAN_AFTER_MS, PgliteSqlClient } from './pglite-sql-client';

// PGlite runs no autovacuum, so nothing invalidates a prepared statement's generic plan as its tables grow: the
// client prepares every statement again after a while, and the plan is then made for the tables as they are.
describe('PgliteSqlClient plans', () => {
  // This shape (estimated at 100 keys) gets a whole-table plan while the table is small; the service's lookups use
  // `= ANY($1::text[])`, planned through the key at any size, but any statement may meet a plan made too early.
  const LOOKUP = 'SELECT id FROM grown WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))';
  let sql: PgliteSqlClient;
  let now = 0;

  beforeAll(async () => {
    sql = await PgliteSqlClient.open(undefined, { now: () => now });
    await sql.exec('CREATE TABLE grown (id text PRIMARY KEY, doc jsonb)');
  });

  afterAll(async () => {
    await sql.close();
  });

  const preparedLookup = async () => {
    const rows = await sql.query<{ name: string; generic_plans: string }>(
      'SELECT name, generic_plans::text FROM pg_prepared_statements WHERE statement = $1',
      [LOOKUP],
    );
    expect(rows).toHaveLength(1);
    return rows[0] as { name: string; generic_plans: string };
  };
  const planOf = async (name: string) =>
    JSON.stringify(await sql.query(`EXPLAIN (FORMAT JSON) EXECUTE ${name}('["k-17", "k-4242"]')`));

  it('plans a statement again once the interval has passed, for the table as it has grown', async () => {
    // Used while the table is empty: PostgreSQL settles on a generic plan, a scan of the whole (tiny) table.
    for (let i = 0; i < 10; i++) expect(await sql.query(LOOKUP, ['["k-1"]'])).toEqual([]);
    const early = await preparedLookup();
    expect(Number(early.generic_plans)).toBeGreaterThan(0);
    await sql.query(
      `INSERT INTO grown (id, doc) SELECT 'k-' || g, jsonb_build_object('n', g) FROM generate_series(1, 100000) g`,
    );
    expect(await sql.query(LOOKUP, ['["k-17", "k-4242"]'])).toHaveLength(2);
    // Before the interval: the same prepared statement, and its plan still scans all 100,000 rows.
    now += PGLITE_REPLAN_AFTER_MS - 1;
    expect(await sql.query(LOOKUP, ['["k-17"]'])).toEqual([{ id: 'k-17' }]);
    expect((await preparedLookup()).name).toBe(early.name);
    expect(await planOf(early.name)).toContain('Seq Scan');

    now += 1;
    expect(await sql.query(LOOKUP, ['["k-17", "k-4242"]'])).toEqual([{ id: 'k-17' }, { id: 'k-4242' }]);
    const again = await preparedLookup();
    expect(again.name).not.toBe(early.name);
    for (let i = 0; i < 10; i++) await sql.query(LOOKUP, ['["k-9"]']);
    expect(Number((await preparedLookup()).generic_plans)).toBeGreaterThan(0);
    const plan = await planOf(again.name);
    expect(plan).toContain('grown_pkey');
    expect(plan).not.toContain('Seq Scan');
  });
});
