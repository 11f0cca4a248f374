import {
  canResendAfter,
  isPreparable,
  isSchemaChange,
  PreparedStatementNames,
  spoilsPreparedName,
} from './prepared-statements';

describe('prepared statements', () => {
  it('prepares data statements only, and knows a schema change', () => {
    for (const text of [
      'SELECT 1',
      '  select x FROM t',
      '\n  WITH a AS (SELECT 1) SELECT * FROM a',
      'INSERT INTO t VALUES ($1)',
      'UPDATE t SET a = 1',
      'DELETE FROM t',
      'VALUES (1)',
    ]) {
      expect(isPreparable(text)).toBe(true);
      expect(isSchemaChange(text)).toBe(false);
    }
    for (const text of ['CREATE TABLE t (a int)', '\n  ALTER TABLE t RENAME TO u', 'drop table t']) {
      expect(isPreparable(text)).toBe(false);
      expect(isSchemaChange(text)).toBe(true);
    }
    for (const text of ['BEGIN', 'SET LOCAL synchronous_commit = off', 'LISTEN "x"', 'TRUNCATE t', 'SELECTION']) {
      expect(isPreparable(text)).toBe(false);
      expect(isSchemaChange(text)).toBe(false);
    }
  });

  it('gives a text one name until renewed, and no name beyond its limit', () => {
    const names = new PreparedStatementNames(2);
    const first = names.nameOf('SELECT 1');
    expect(first).toMatch(/^kouza_\d+$/);
    expect(names.nameOf('SELECT 1')).toBe(first);
    expect(names.nameOf('BEGIN')).toBeUndefined();
    const second = names.nameOf('SELECT 2');
    expect(second).not.toBe(first);
    expect(names.nameOf('SELECT 3')).toBeUndefined();
    names.renew('SELECT 1');
    const renewed = names.nameOf('SELECT 1');
    expect(renewed).toMatch(/^kouza_\d+$/);
    expect([first, second]).not.toContain(renewed);
  });

  it('spoils a name after a failed parse or a changed plan, and resends only a statement that did not run', () => {
    for (const code of ['42P01', '42703', '42601', '3F000', '0A000', '26000'])
      expect(spoilsPreparedName({ code })).toBe(true);
    for (const code of ['23505', '40001', '40P01', 'P0001', '57014']) expect(spoilsPreparedName({ code })).toBe(false);
    expect(spoilsPreparedName(new Error('no code'))).toBe(false);
    expect(spoilsPreparedName(undefined)).toBe(false);
    expect(canResendAfter({ code: '0A000' })).toBe(true);
    expect(canResendAfter({ code: '26000' })).toBe(true);
    expect(canResendAfter({ code: '42P01' })).toBe(false);
  });
});
