/**
 * The event store's tables, the same on PGlite and on a PostgreSQL server.
 *
 * Each row carries the id of the transaction that wrote it (`xid8`). Readers of the global log take only
 * rows below `pg_snapshot_xmin(pg_current_snapshot())`: every transaction under that horizon has ended,
 * so no row can appear later behind a reader's checkpoint (Emmett's answer to the skipped-event race).
 * The checkpoint is therefore the pair (transaction id, global position), in that order.
 */
export const EVENTS_CHANNEL = 'es_events_appended';

export const eventStoreSchema = /* sql */ `
CREATE TABLE IF NOT EXISTS es_events (
  global_position bigserial PRIMARY KEY,
  transaction_id  xid8        NOT NULL,
  stream_name     text        NOT NULL,
  revision        bigint      NOT NULL,
  event_id        uuid        NOT NULL,
  event_type      text        NOT NULL,
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL,
  recorded_at     timestamptz NOT NULL,
  CONSTRAINT es_events_stream_revision UNIQUE (stream_name, revision)
);
CREATE INDEX IF NOT EXISTS es_events_global_order ON es_events (transaction_id, global_position);
CREATE INDEX IF NOT EXISTS es_events_stream_event_id ON es_events (stream_name, event_id);

-- Events not yet chained (written before the hash chain): chainLegacyStreams finds them here. New rows are
-- all chained, so this index stays as small as what is left to migrate.
CREATE INDEX IF NOT EXISTS es_events_unchained ON es_events (stream_name, revision) WHERE NOT (metadata ? 'hash');

-- One round trip per append. Appends to one stream are serialised by a transaction-scoped advisory
-- lock taken BEFORE the transaction gets its id, so within a stream transaction ids follow revisions.
--
-- The hash chain is made here, under that lock, where the stream's last hash is known: each event arrives as
-- its RFC 8785 text cut where its previousHash goes (canonicalTemplate, in TypeScript: JCS is a library's job,
-- not SQL's); this function writes the previous hash in, hashes previousHash || '.' || text with SHA-256 and
-- stores the parsed text plus the hash. A stream whose last event predates the chain stays unchained until
-- chainLegacyStreams chains it (under the same lock), so a chain never starts in the middle of a stream.
CREATE OR REPLACE FUNCTION es_append(p_stream text, p_mode text, p_expected bigint, p_events jsonb)
RETURNS TABLE (outcome text, revision bigint, last_position bigint, txid text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_count   int := jsonb_array_length(p_events);
  v_current bigint;
  v_first   bigint;
  v_matched int;
  v_now     timestamptz;
  v_last    text;
  v_chained boolean;
  v_prev    text;
  v_text    text;
  v_hash    text;
  v_doc     jsonb;
  v_types   text[] := '{}';
  v_datas   jsonb[] := '{}';
  v_metas   jsonb[] := '{}';
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_stream, 0));
  SELECT e.revision, e.metadata->>'hash' INTO v_current, v_last
    FROM es_events e WHERE e.stream_name = p_stream ORDER BY e.revision DESC LIMIT 1;

  -- Idempotence (EventStoreDB's rule): the same event ids already stand where this expectation puts them.
  SELECT e.revision INTO v_first FROM es_events e
   WHERE e.stream_name = p_stream AND e.event_id = (p_events->0->>'id')::uuid
   ORDER BY e.revision LIMIT 1;
  IF v_first IS NOT NULL AND (p_mode = 'any'
      OR (p_mode = 'no_stream' AND v_first = 0)
      OR (p_mode = 'exact' AND v_first = p_expected + 1)) THEN
    SELECT count(*) INTO v_matched
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS n(ev, i)
      JOIN es_events e ON e.stream_name = p_stream AND e.revision = v_first + n.i - 1
                      AND e.event_id = (n.ev->>'id')::uuid;
    IF v_matched = v_count THEN
      RETURN QUERY SELECT 'idempotent'::text, e.revision, e.global_position, e.transaction_id::text
        FROM es_events e WHERE e.stream_name = p_stream AND e.revision = v_first + v_count - 1;
      RETURN;
    END IF;
  END IF;

  IF (p_mode = 'no_stream' AND v_current IS NOT NULL)
     OR (p_mode = 'exact' AND v_current IS DISTINCT FROM p_expected) THEN
    RETURN QUERY SELECT 'conflict'::text, v_current, NULL::bigint, NULL::text;
    RETURN;
  END IF;

  v_chained := v_current IS NULL OR v_last IS NOT NULL;
  v_prev := coalesce(v_last, repeat('0', 64));
  FOR i IN 0 .. v_count - 1 LOOP
    IF NOT (p_events->i ? 'prefix') THEN
      RAISE EXCEPTION 'es_append takes events as canonical text (prefix, suffix): upgrade the writer';
    END IF;
    v_text := (p_events->i->>'prefix') || v_prev || (p_events->i->>'suffix');
    v_hash := encode(sha256(convert_to(v_prev || '.' || v_text, 'UTF8')), 'hex');
    v_doc := v_text::jsonb;
    v_types := v_types || (v_doc->>'type');
    v_datas := v_datas || (v_doc->'data');
    v_metas := v_metas || CASE WHEN v_chained THEN (v_doc->'metadata') || jsonb_build_object('hash', v_hash)
                               ELSE (v_doc->'metadata') - 'previousHash' END;
    v_prev := v_hash;
  END LOOP;

  v_now := date_trunc('milliseconds', clock_timestamp());
  RETURN QUERY
    WITH inserted AS (
      INSERT INTO es_events (transaction_id, stream_name, revision, event_id, event_type, data, metadata, recorded_at)
      SELECT pg_current_xact_id(), p_stream, coalesce(v_current, -1) + n.i, (p_events->(n.i::int - 1)->>'id')::uuid,
             n.t, v_datas[n.i::int], v_metas[n.i::int], v_now
        FROM unnest(v_types) WITH ORDINALITY AS n(t, i)
       ORDER BY n.i
      RETURNING es_events.revision, es_events.global_position, es_events.transaction_id
    )
    SELECT 'appended'::text, max(x.revision), max(x.global_position), max(x.transaction_id::text)
      FROM inserted x;
  PERFORM pg_notify('${EVENTS_CHANNEL}', '');
END;
$$;
`;
