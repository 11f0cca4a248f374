import type { SqlExecutor } from '../sql/sql-client';

export type StoredSubjectKey =
  | { readonly state: 'active'; readonly wrappedKey: Buffer }
  | { readonly state: 'erased'; readonly erasedAt: Date };

interface SubjectKeyRow {
  wrapped_key: Uint8Array | null;
  erased_at: Date | null;
}

/** The `subject_keys` table: one wrapped data key per data subject; erasing nulls the key and keeps the row. */
export class SubjectKeyStore {
  constructor(private readonly sql: SqlExecutor) {}

  async ensureSchema(): Promise<void> {
    await this.sql.query(`
      CREATE TABLE IF NOT EXISTS subject_keys (
        subject_id  text        PRIMARY KEY,
        wrapped_key bytea,
        created_at  timestamptz NOT NULL,
        erased_at   timestamptz,
        CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
      )`);
  }

  async find(subjectId: string): Promise<StoredSubjectKey | undefined> {
    const [row] = await this.sql.query<SubjectKeyRow>(
      'SELECT wrapped_key, erased_at FROM subject_keys WHERE subject_id = $1',
      [subjectId],
    );
    return row ? storedKeyOf(row) : undefined;
  }

  /**
   * Stores `wrappedKey` unless the subject already has a row; answers whichever row is now stored, in one
   * statement (the row found is of the statement's snapshot: one committed by a concurrent insert after it started
   * is read again).
   */
  async insertIfAbsent(subjectId: string, wrappedKey: Buffer, createdAt: Date): Promise<StoredSubjectKey> {
    const [row] = await this.sql.query<SubjectKeyRow>(
      `WITH inserted AS (
         INSERT INTO subject_keys (subject_id, wrapped_key, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (subject_id) DO NOTHING
         RETURNING wrapped_key, erased_at
       )
       SELECT wrapped_key, erased_at FROM inserted
       UNION ALL
       SELECT wrapped_key, erased_at FROM subject_keys
        WHERE subject_id = $1 AND NOT EXISTS (SELECT 1 FROM inserted)`,
      [subjectId, wrappedKey, createdAt],
    );
    if (row) return storedKeyOf(row);
    const existing = await this.find(subjectId);
    if (!existing) throw new Error(`The key row of data subject ${subjectId} vanished`);
    return existing;
  }

  /**
   * Idempotent; a subject never seen gets an erased row, so no key can be created for it later.
   * Dead row versions (until VACUUM) and backups still hold the wrapped key until they age out.
   */
  async erase(subjectId: string, at: Date): Promise<Date> {
    const [row] = await this.sql.query<{ erased_at: Date }>(
      `INSERT INTO subject_keys (subject_id, wrapped_key, created_at, erased_at) VALUES ($1, NULL, $2, $2)
       ON CONFLICT (subject_id) DO UPDATE
         SET wrapped_key = NULL, erased_at = COALESCE(subject_keys.erased_at, EXCLUDED.erased_at)
       RETURNING erased_at`,
      [subjectId, at],
    );
    if (!row) throw new Error(`Erasing data subject ${subjectId} returned no row`);
    return row.erased_at;
  }
}

function storedKeyOf(row: SubjectKeyRow): StoredSubjectKey {
  if (row.wrapped_key) return { state: 'active', wrappedKey: Buffer.from(row.wrapped_key) };
  return { state: 'erased', erasedAt: row.erased_at ?? new Date(0) };
}
