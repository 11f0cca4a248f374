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

-- One round trip per append. Appends to one stream are serialised by a transaction-scoped advisory
-- lock taken BEFORE the transaction gets its id, so within a stream transaction ids follow revisions.
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
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_stream, 0));
  SELECT max(e.revision) INTO v_current FROM es_events e WHERE e.stream_name = p_stream;

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

  v_now := date_trunc('milliseconds', clock_timestamp());
  RETURN QUERY
    WITH inserted AS (
      INSERT INTO es_events (transaction_id, stream_name, revision, event_id, event_type, data, metadata, recorded_at)
      SELECT pg_current_xact_id(), p_stream, coalesce(v_current, -1) + n.i, (n.ev->>'id')::uuid,
             n.ev->>'type', n.ev->'data', n.ev->'metadata', v_now
        FROM jsonb_array_elements(p_events) WITH ORDINALITY AS n(ev, i)
       ORDER BY n.i
      RETURNING es_events.revision, es_events.global_position, es_events.transaction_id
    )
    SELECT 'appended'::text, max(x.revision), max(x.global_position), max(x.transaction_id::text)
      FROM inserted x;
  PERFORM pg_notify('${EVENTS_CHANNEL}', '');
END;
$$;
`;
