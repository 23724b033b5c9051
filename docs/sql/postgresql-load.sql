-- Loads acrscan NDJSON exports (`acrscan export --format ndjson`) from standard input into
-- acr_auth_failures (postgresql-schema.sql):
--
--   cat web-*.ndjson | psql -X -v ON_ERROR_STOP=1 -f docs/sql/postgresql-load.sql
--
-- Idempotent: rows are keyed by (host, file_key, offset), so loading an export again, or a later
-- export that overlaps an earlier one, adds nothing. A row found again by a newer matcher
-- (`scan --reclassify`) replaces the stored one. One transaction: all or nothing.
--
-- The NDJSON is read as one jsonb value per line. CSV mode with a quote and a delimiter that an
-- export never holds raw (\x01, \x02: every control character is escaped in JSON) keeps COPY from
-- touching backslashes, so every value arrives exactly as exported.

BEGIN;
CREATE TEMP TABLE acr_load (doc jsonb NOT NULL) ON COMMIT DROP;
\copy acr_load (doc) FROM pstdin WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02')
INSERT INTO acr_auth_failures AS t
SELECT DISTINCT ON (r.host, r.file_key, r."offset") r.*
FROM acr_load, jsonb_populate_record(NULL::acr_auth_failures, acr_load.doc) AS r
ORDER BY r.host, r.file_key, r."offset", r.matcher_version DESC  -- exports that overlap within one load
ON CONFLICT (host, file_key, "offset") DO UPDATE SET
    ts = excluded.ts, registry = excluded.registry, login_server = excluded.login_server, type = excluded.type,
    status = excluded.status, attempts = excluded.attempts, producer = excluded.producer, source = excluded.source,
    line = excluded.line, line_end = excluded.line_end, client_ip = excluded.client_ip, identity = excluded.identity,
    repository = excluded.repository, code = excluded.code, excerpt = excluded.excerpt,
    matcher_version = excluded.matcher_version
WHERE excluded.matcher_version > t.matcher_version;
COMMIT;
