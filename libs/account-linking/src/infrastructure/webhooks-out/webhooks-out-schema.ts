/**
 * Webhooks out, on the service's database (same SQL on PGlite and PostgreSQL). The process manager writes
 * `webhook_endpoints`, `webhook_link_states`, `webhook_debit_states`, `webhook_case_states`, `webhook_actor_blocks`, `webhook_events` and new
 * `webhook_deliveries`; the workers
 * claim deliveries and write `webhook_delivery_attempts` and `webhook_endpoint_health`.
 */
export const webhooksOutSchema = /* sql */ `
CREATE TABLE IF NOT EXISTS webhook_endpoints (
  id          text        PRIMARY KEY,
  owner_kind  text        NOT NULL CHECK (owner_kind IN ('payment_app', 'bank')),
  owner_id    text        NOT NULL,
  status      text        NOT NULL CHECK (status IN ('enabled', 'disabled', 'deleted')),
  event_types jsonb       NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  state       jsonb       NOT NULL
);
CREATE INDEX IF NOT EXISTS webhook_endpoints_owner ON webhook_endpoints (owner_kind, owner_id, created_at, id);
CREATE TABLE IF NOT EXISTS webhook_link_states (
  link_id  text    PRIMARY KEY,
  revision integer NOT NULL,
  state    jsonb   NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_debit_states (
  debit_id text    PRIMARY KEY,
  revision integer NOT NULL,
  state    jsonb   NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_case_states (
  case_id  text    PRIMARY KEY,
  revision integer NOT NULL,
  state    jsonb   NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_actor_blocks (
  block_id text  PRIMARY KEY,
  view     jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_events (
  id                text        PRIMARY KEY,
  audience_kind     text        NOT NULL,
  audience_id       text        NOT NULL,
  type              text        NOT NULL,
  created_at        timestamptz NOT NULL,
  body              text        NOT NULL,
  source_checkpoint text        NOT NULL,
  cause_event_id    text        NOT NULL,
  cause_stream      text        NOT NULL,
  cause_revision    integer     NOT NULL,
  cause_type        text        NOT NULL
);
CREATE INDEX IF NOT EXISTS webhook_events_audience ON webhook_events (audience_kind, audience_id, source_checkpoint, id);
CREATE INDEX IF NOT EXISTS webhook_events_cause ON webhook_events (cause_event_id);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  id              text        PRIMARY KEY,
  endpoint_id     text        NOT NULL,
  event_id        text        NOT NULL,
  status          text        NOT NULL DEFAULT 'pending'
                              CHECK (status IN ('pending', 'succeeded', 'failed', 'cancelled')),
  attempts        integer     NOT NULL DEFAULT 0,
  claims          integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  claimed_until   timestamptz,
  created_at      timestamptz NOT NULL,
  settled_at      timestamptz,
  replay_id       text
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (endpoint_id, next_attempt_at)
  WHERE status = 'pending';
CREATE TABLE IF NOT EXISTS webhook_delivery_attempts (
  seq           bigserial   PRIMARY KEY,
  delivery_id   text        NOT NULL,
  endpoint_id   text        NOT NULL,
  event_id      text        NOT NULL,
  attempt       integer     NOT NULL,
  status        text        NOT NULL CHECK (status IN ('succeeded', 'failed')),
  response_code integer,
  duration_ms   integer     NOT NULL,
  at            timestamptz NOT NULL,
  detail        text,
  UNIQUE (delivery_id, attempt)
);
CREATE INDEX IF NOT EXISTS webhook_delivery_attempts_endpoint ON webhook_delivery_attempts (endpoint_id, seq);
CREATE TABLE IF NOT EXISTS webhook_endpoint_health (
  endpoint_id     text        PRIMARY KEY,
  failing_since   timestamptz,
  last_success_at timestamptz
);
`;
