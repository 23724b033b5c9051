import LogModel

/// The database schema as numbered migrations under `PRAGMA user_version` (docs/schema.md).
///
/// Migrations only ever add: a released migration is never edited, and the `occurrences` view keeps
/// its columns, so that the queries users wrote keep working.
enum Schema {
    /// `PRAGMA application_id` of an acrscan database: "ACRS".
    static let applicationID: Int32 = 0x4143_5253

    /// Migrations in order; migration `i` takes the schema from version `i` to `i + 1`.
    static let migrations: [String] = [
        """
        CREATE TABLE files (
            id              INTEGER PRIMARY KEY,
            host            TEXT    NOT NULL,
            file_key        TEXT    NOT NULL,
            fingerprint     TEXT    NOT NULL,
            fp_length       INTEGER NOT NULL,
            path            TEXT    NOT NULL,
            scanned_offset  INTEGER NOT NULL DEFAULT 0,
            scanned_lines   INTEGER NOT NULL DEFAULT 0,
            last_ts         INTEGER,
            context         TEXT    NOT NULL DEFAULT '',
            pipelines       INTEGER NOT NULL DEFAULT 0,
            matcher_version INTEGER NOT NULL,
            first_scanned   INTEGER NOT NULL,
            last_scanned    INTEGER NOT NULL,
            UNIQUE (host, file_key)
        );
        CREATE INDEX files_by_fingerprint ON files (host, fingerprint, fp_length);

        CREATE TABLE failures (
            id              INTEGER PRIMARY KEY,
            host            TEXT    NOT NULL,
            file_key        TEXT    NOT NULL,
            offset          INTEGER NOT NULL,
            source          TEXT    NOT NULL,
            ts              INTEGER,
            registry        TEXT,
            login_server    TEXT,
            type            TEXT    NOT NULL,
            status          INTEGER,
            line            INTEGER NOT NULL,
            line_end        INTEGER NOT NULL,
            producer        TEXT    NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 1,
            client_ip       TEXT,
            identity        TEXT,
            repository      TEXT,
            code            TEXT,
            excerpt         TEXT    NOT NULL,
            matcher_version INTEGER NOT NULL,
            UNIQUE (host, file_key, offset)
        );
        CREATE INDEX failures_by_time ON failures (ts);
        CREATE INDEX failures_by_registry_type ON failures (registry, type, ts);

        CREATE VIEW occurrences AS
        SELECT id,
               strftime('%Y-%m-%dT%H:%M:%SZ', ts / 1000, 'unixepoch') AS ts,
               registry, login_server, type, status, host, source, line, line_end, producer, attempts,
               excerpt, client_ip, identity, repository, code, ts AS ts_ms, offset, file_key
        FROM failures;
        """,
        // 2: a resume check near the scanned offset, and compressed copies read to their end.
        """
        ALTER TABLE files ADD COLUMN anchor_offset INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE files ADD COLUMN anchor_hash TEXT;

        CREATE TABLE compressed_files (
            id              INTEGER PRIMARY KEY,
            host            TEXT    NOT NULL,
            raw_hash        TEXT    NOT NULL,
            raw_size        INTEGER NOT NULL,
            file_key        TEXT    NOT NULL,
            path            TEXT    NOT NULL,
            content_length  INTEGER NOT NULL,
            first_scanned   INTEGER NOT NULL,
            UNIQUE (host, raw_hash, raw_size)
        );
        """,
        // 3: reports read narrow covering indexes instead of the wide table (excerpts make rows
        // large): in group order for everything stored, in time order for a window.
        """
        DROP INDEX failures_by_registry_type;
        CREATE INDEX failures_rollup ON failures (registry, type, host, ts, attempts);
        DROP INDEX failures_by_time;
        CREATE INDEX failures_by_time ON failures (ts, registry, type, host, attempts);
        """,
        // 4: first-stored times (scans), smaller rows (excerpts, sources, registries and labels
        // stored once, keyed by file and offset), a rollup for reports, unknown shapes,
        // acknowledgements of the gate (docs/schema.md, "Schema 4"). The occurrence table is
        // rebuilt; the `occurrences` view keeps every column it had and gains `scan_id` and
        // `stored_ms`. `fnv64()` is the connection's own function (`Store.registerFunctions`).
        Schema.migration4,
        // 5: the values a report's fix commands name (client IPs, identities, codes), counted per
        // rollup cell in the same transaction as the rows (docs/schema.md, "rollup_values").
        Schema.migration5,
        // 6: the time index keyed by file first (docs/schema.md, "failures_by_file_time"): a scan's
        // inserts land in the part of the index of the file being read, whatever the order of
        // its times, instead of all over an index of every row.
        Schema.migration6,
    ]

    /// The version this build writes.
    static var current: Int { migrations.count }

    /// Migration 4 (docs/schema.md). Hours are `(ts / 3600000) * 3600000`; -1 stands for no time
    /// in the rollup and unknown-shape tables, where a primary key cannot be NULL.
    static let migration4 = """
        DROP VIEW occurrences;
        DROP INDEX failures_rollup;
        DROP INDEX failures_by_time;
        ALTER TABLE failures RENAME TO failures_v3;

        CREATE TABLE scans (
            id              INTEGER PRIMARY KEY,
            key             INTEGER NOT NULL UNIQUE,
            host            TEXT    NOT NULL,
            started         INTEGER NOT NULL,
            finished        INTEGER,
            files           INTEGER NOT NULL DEFAULT 0,
            unchanged       INTEGER NOT NULL DEFAULT 0,
            bytes           INTEGER NOT NULL DEFAULT 0,
            lines           INTEGER NOT NULL DEFAULT 0,
            found           INTEGER NOT NULL DEFAULT 0,
            added           INTEGER NOT NULL DEFAULT 0,
            reclassified    INTEGER NOT NULL DEFAULT 0,
            removed         INTEGER NOT NULL DEFAULT 0,
            problems        INTEGER NOT NULL DEFAULT 0,
            interrupted     INTEGER NOT NULL DEFAULT 0,
            matcher_version INTEGER NOT NULL DEFAULT 0,
            origin          TEXT    NOT NULL DEFAULT 'scan'
        );
        CREATE TABLE scan_files (
            scan_id         INTEGER NOT NULL,
            file_id         INTEGER NOT NULL,
            first_offset    INTEGER NOT NULL,
            last_offset     INTEGER NOT NULL,
            PRIMARY KEY (scan_id, file_id)
        ) WITHOUT ROWID;
        CREATE TABLE sources (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);
        CREATE TABLE registries (id INTEGER PRIMARY KEY, registry TEXT, login_server TEXT);
        CREATE UNIQUE INDEX registries_by_name ON registries (ifnull(registry, ''), ifnull(login_server, ''));
        CREATE TABLE labels (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        CREATE TABLE excerpts (id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, text TEXT NOT NULL);
        CREATE INDEX excerpts_by_hash ON excerpts (hash);

        CREATE TABLE failures (
            file_id         INTEGER NOT NULL,
            offset          INTEGER NOT NULL,
            scan_id         INTEGER NOT NULL,
            source_id       INTEGER NOT NULL,
            ts              INTEGER,
            registry_id     INTEGER NOT NULL,
            type_id         INTEGER NOT NULL,
            producer_id     INTEGER NOT NULL,
            status          INTEGER,
            line            INTEGER NOT NULL,
            line_end        INTEGER,
            attempts        INTEGER NOT NULL DEFAULT 1,
            client_ip       TEXT,
            identity        TEXT,
            repository      TEXT,
            code            TEXT,
            excerpt_id      INTEGER NOT NULL,
            matcher_version INTEGER NOT NULL,
            PRIMARY KEY (file_id, offset)
        ) WITHOUT ROWID;
        CREATE INDEX failures_by_time ON failures (ts);

        CREATE TABLE rollup (
            registry        TEXT    NOT NULL,
            type            TEXT    NOT NULL,
            host            TEXT    NOT NULL,
            repository      TEXT    NOT NULL,
            hour            INTEGER NOT NULL,
            count           INTEGER NOT NULL,
            attempts        INTEGER NOT NULL,
            first_ts        INTEGER,
            last_ts         INTEGER,
            PRIMARY KEY (registry, type, host, repository, hour)
        ) WITHOUT ROWID;

        CREATE TABLE unknown_templates (
            key             INTEGER PRIMARY KEY,
            template        TEXT    NOT NULL,
            first_seen      INTEGER,
            last_seen       INTEGER
        );
        CREATE TABLE unknown_counts (
            template_key    INTEGER NOT NULL,
            file_id         INTEGER NOT NULL,
            count           INTEGER NOT NULL,
            last_offset     INTEGER NOT NULL,
            first_seen      INTEGER,
            last_seen       INTEGER,
            PRIMARY KEY (template_key, file_id)
        ) WITHOUT ROWID;
        CREATE INDEX unknown_counts_by_file ON unknown_counts (file_id);
        CREATE TABLE unknown_examples (
            template_key    INTEGER NOT NULL,
            file_id         INTEGER NOT NULL,
            offset          INTEGER NOT NULL,
            source          TEXT    NOT NULL,
            line            INTEGER NOT NULL,
            ts              INTEGER,
            excerpt         TEXT    NOT NULL,
            PRIMARY KEY (template_key, file_id, offset)
        ) WITHOUT ROWID;

        CREATE TABLE acks (
            id              INTEGER PRIMARY KEY,
            registry        TEXT    NOT NULL,
            type            TEXT    NOT NULL,
            scan_id         INTEGER,
            count           INTEGER NOT NULL,
            created         INTEGER NOT NULL,
            UNIQUE (registry, type)
        );
        CREATE TABLE ack_values (
            ack_id          INTEGER NOT NULL,
            kind            TEXT    NOT NULL,
            value           TEXT    NOT NULL,
            PRIMARY KEY (ack_id, kind, value)
        ) WITHOUT ROWID;

        -- What schema 3 stored becomes the work of one scan, "before schema 4".
        INSERT INTO scans (id, key, host, started, finished, matcher_version, origin)
        SELECT 1, abs(random()), '', ifnull((SELECT min(first_scanned) FROM files), 0), ifnull((SELECT max(last_scanned) FROM files), 0),
               ifnull((SELECT min(matcher_version) FROM failures_v3), 0), 'schema 3'
        WHERE EXISTS (SELECT 1 FROM failures_v3);
        INSERT INTO files (host, file_key, fingerprint, fp_length, path, matcher_version, first_scanned, last_scanned)
        SELECT host, file_key, '', 0, min(source), min(matcher_version), 0, 0 FROM failures_v3 o
        WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.host = o.host AND f.file_key = o.file_key)
        GROUP BY host, file_key;
        INSERT OR IGNORE INTO sources (path) SELECT DISTINCT source FROM failures_v3;
        INSERT OR IGNORE INTO registries (registry, login_server) SELECT DISTINCT registry, login_server FROM failures_v3;
        INSERT OR IGNORE INTO labels (name) SELECT type FROM failures_v3 UNION SELECT producer FROM failures_v3;
        INSERT INTO excerpts (hash, text) SELECT fnv64(excerpt), excerpt FROM failures_v3 GROUP BY excerpt;
        INSERT OR IGNORE INTO failures
        SELECT f.id, o.offset, 1, s.id, o.ts, r.id, t.id, p.id, o.status, o.line, nullif(o.line_end, o.line), o.attempts,
               o.client_ip, o.identity, o.repository, o.code, e.id, o.matcher_version
        FROM failures_v3 o
        JOIN files f ON f.host = o.host AND f.file_key = o.file_key
        JOIN sources s ON s.path = o.source
        JOIN registries r ON ifnull(r.registry, '') = ifnull(o.registry, '') AND ifnull(r.login_server, '') = ifnull(o.login_server, '')
        JOIN labels t ON t.name = o.type
        JOIN labels p ON p.name = o.producer
        JOIN excerpts e ON e.hash = fnv64(o.excerpt) AND e.text = o.excerpt;
        INSERT INTO scan_files (scan_id, file_id, first_offset, last_offset)
        SELECT 1, file_id, min(offset), max(offset) FROM failures GROUP BY file_id;
        INSERT INTO rollup (registry, type, host, repository, hour, count, attempts, first_ts, last_ts)
        SELECT ifnull(registry, ''), type, host, ifnull(repository, ''), ifnull((ts / 3600000) * 3600000, -1),
               count(*), sum(attempts), min(ts), max(ts)
        FROM failures_v3 GROUP BY 1, 2, 3, 4, 5;
        DROP TABLE failures_v3;

        CREATE VIEW occurrences AS
        SELECT (o.file_id << 40) + o.offset AS id,
               strftime('%Y-%m-%dT%H:%M:%SZ', o.ts / 1000, 'unixepoch') AS ts,
               r.registry, r.login_server, t.name AS type, o.status, (SELECT host FROM files WHERE id = o.file_id) AS host,
               s.path AS source, o.line, ifnull(o.line_end, o.line) AS line_end, p.name AS producer, o.attempts, e.text AS excerpt,
               o.client_ip, o.identity, o.repository, o.code, o.ts AS ts_ms, o.offset,
               (SELECT file_key FROM files WHERE id = o.file_id) AS file_key,
               o.scan_id, (SELECT started FROM scans WHERE id = o.scan_id) AS stored_ms, o.matcher_version
        FROM failures o
        JOIN sources s ON s.id = o.source_id
        JOIN registries r ON r.id = o.registry_id
        JOIN labels t ON t.id = o.type_id
        JOIN labels p ON p.id = o.producer_id
        JOIN excerpts e ON e.id = o.excerpt_id;
        """

    /// Migration 5 (docs/schema.md): `rollup_values`, the rollup refined by client IP, identity
    /// and code (`''` for none), filled from the stored rows.
    static let migration5 = """
        CREATE TABLE rollup_values (
            registry        TEXT    NOT NULL,
            type            TEXT    NOT NULL,
            host            TEXT    NOT NULL,
            repository      TEXT    NOT NULL,
            hour            INTEGER NOT NULL,
            client_ip       TEXT    NOT NULL,
            identity        TEXT    NOT NULL,
            code            TEXT    NOT NULL,
            count           INTEGER NOT NULL,
            attempts        INTEGER NOT NULL,
            first_ts        INTEGER,
            last_ts         INTEGER,
            PRIMARY KEY (registry, type, host, repository, hour, client_ip, identity, code)
        ) WITHOUT ROWID;
        INSERT INTO rollup_values (registry, type, host, repository, hour, client_ip, identity, code, count, attempts, first_ts, last_ts)
        SELECT ifnull(r.registry, ''), t.name, f.host, ifnull(o.repository, ''), ifnull((o.ts / 3600000) * 3600000, -1),
               ifnull(o.client_ip, ''), ifnull(o.identity, ''), ifnull(o.code, ''), count(*), sum(o.attempts), min(o.ts), max(o.ts)
        FROM failures o
        JOIN files f ON f.id = o.file_id
        JOIN registries r ON r.id = o.registry_id
        JOIN labels t ON t.id = o.type_id
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
        """
}

extension Schema {
    /// Migration 6 (docs/schema.md): `failures_by_time (ts)` becomes `failures_by_file_time
    /// (file_id, ts)`; time windows read it one file at a time (`file_id IN (SELECT id FROM
    /// files)`, `OccurrenceFilter.sql(byFile:)`). Excerpts gain the file that first stored them,
    /// and are found by `(file_id, hash)` instead of `hash` (`Store.excerptID`): either way a
    /// scan's inserts land in the part of the index of the file being read.
    static let migration6 = """
        DROP INDEX IF EXISTS failures_by_time;
        CREATE INDEX IF NOT EXISTS failures_by_file_time ON failures (file_id, ts);
        ALTER TABLE excerpts ADD COLUMN file_id INTEGER;
        UPDATE excerpts SET file_id = m.file_id
        FROM (SELECT excerpt_id, min(file_id) AS file_id FROM failures GROUP BY excerpt_id) AS m
        WHERE m.excerpt_id = excerpts.id;
        DROP INDEX IF EXISTS excerpts_by_hash;
        CREATE INDEX excerpts_by_file_hash ON excerpts (file_id, hash);
        """
}
