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
    ]

    /// The version this build writes.
    static var current: Int { migrations.count }
}
