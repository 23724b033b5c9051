-- acrscan fleet roll-up in ClickHouse (clickhouse-server, clickhouse-local or chDB): the table of
-- occurrences and the views that answer what `acrscan report` answers (docs/export.md#clickhouse).
-- Load each NDJSON export with:
--   INSERT INTO acr_auth_failures FROM INFILE 'failures.ndjson'
--       SETTINGS date_time_input_format = 'best_effort' FORMAT JSONEachRow
-- ReplacingMergeTree keeps one row per (host, file_key, offset), the one of the newest matcher:
-- overlapping loads collapse in background merges, and FINAL collapses them at query time.

CREATE TABLE IF NOT EXISTS acr_auth_failures (
    host            String,
    ts              Nullable(DateTime64(3, 'UTC')),
    registry        Nullable(String),
    login_server    Nullable(String),
    type            LowCardinality(String),
    status          Nullable(Int32),
    attempts        UInt32,
    producer        LowCardinality(String),
    source          String,
    line            UInt64,
    line_end        UInt64,
    offset          Int64,
    file_key        String,
    client_ip       Nullable(String),
    identity        Nullable(String),
    repository      Nullable(String),
    code            Nullable(String),
    excerpt         String,
    matcher_version UInt32
) ENGINE = ReplacingMergeTree(matcher_version)
ORDER BY (host, file_key, offset);

-- `acrscan report` (--by registry,type): count, attempts, first and last seen per registry and type.
CREATE VIEW IF NOT EXISTS acr_failure_groups AS
SELECT registry, type, count() AS count, sum(attempts) AS attempts, min(ts) AS first_seen, max(ts) AS last_seen
FROM acr_auth_failures FINAL
GROUP BY registry, type;

-- The report's trend (day buckets, UTC): occurrences per day, registry and type.
CREATE VIEW IF NOT EXISTS acr_failure_days AS
SELECT toStartOfDay(assumeNotNull(ts)) AS day, registry, type, count() AS count
FROM acr_auth_failures FINAL
WHERE ts IS NOT NULL
GROUP BY day, registry, type;
