/**
 * One statement (a DO block, so one transaction) that runs `ddl` holding a lock named after `table`:
 * processes and runners setting up the same read model together would otherwise race on
 * CREATE ... IF NOT EXISTS. The lock ends with the statement, even outside a transaction.
 */
export function lockedSchemaChange(table: string, ddl: string): string {
  return `DO $read_model$ BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('kouza-link:read-model:${table}'));
    ${ddl}
  END $read_model$`;
}
