-- acrscan fleet roll-up in PostgreSQL: the table of occurrences and the views that answer what
-- `acrscan report` answers. Idempotent: run it before every load (docs/export.md#postgresql).

CREATE TABLE IF NOT EXISTS acr_auth_failures (
    host            text        NOT NULL,
    ts              timestamptz,
    registry        text,
    login_server    text,
    type            text        NOT NULL,
    status          integer,
    attempts        integer     NOT NULL,
    producer        text        NOT NULL,
    source          text        NOT NULL,
    line            bigint      NOT NULL,
    line_end        bigint      NOT NULL,
    "offset"        bigint      NOT NULL,
    file_key        text        NOT NULL,
    client_ip       text,
    identity        text,
    repository      text,
    code            text,
    excerpt         text        NOT NULL,
    matcher_version integer     NOT NULL,
    -- The occurrence's stable identity: the same in every database, merge and export.
    PRIMARY KEY (host, file_key, "offset")
);
CREATE INDEX IF NOT EXISTS acr_auth_failures_by_time ON acr_auth_failures (ts);

-- `acrscan report` (--by registry,type): count, attempts, first and last seen per registry and type.
CREATE OR REPLACE VIEW acr_failure_groups AS
SELECT registry, type, count(*) AS count, sum(attempts) AS attempts, min(ts) AS first_seen, max(ts) AS last_seen
FROM acr_auth_failures
GROUP BY registry, type;

-- The report's trend (day buckets, UTC): occurrences per day, registry and type.
CREATE OR REPLACE VIEW acr_failure_days AS
SELECT date_trunc('day', ts, 'UTC') AS day, registry, type, count(*) AS count
FROM acr_auth_failures
WHERE ts IS NOT NULL
GROUP BY 1, registry, type;

-- `acrscan report --by host,registry,type`: the same per host.
CREATE OR REPLACE VIEW acr_failure_hosts AS
SELECT host, registry, type, count(*) AS count, sum(attempts) AS attempts, min(ts) AS first_seen, max(ts) AS last_seen
FROM acr_auth_failures
GROUP BY host, registry, type;
