extension Schema {
    /// The current schema (version `current`) in one script, for a new database: the `sql` of
    /// every object of `sqlite_master` of a database taken through all the migrations, in the
    /// order they were created. One script of `CREATE`s costs a fraction of the migrations' work
    /// (their `ALTER`s, `DROP`s and statement journals) at every scan into a new file
    /// (docs/performance.md, "Branch `scanspeed4`"). The migrations stay for existing files;
    /// `FreshSchemaTests` checks that both give the same `sqlite_master` and pragmas. A new
    /// migration changes this script too.
    static let fresh = """
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
            last_scanned    INTEGER NOT NULL, anchor_offset INTEGER NOT NULL DEFAULT 0, anchor_hash TEXT,
            UNIQUE (host, file_key)
        );
        CREATE INDEX files_by_fingerprint ON files (host, fingerprint, fp_length);
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
        CREATE TABLE excerpts (id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, text TEXT NOT NULL, file_id INTEGER);
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
        CREATE INDEX failures_by_file_time ON failures (file_id, ts);
        CREATE INDEX excerpts_by_file_hash ON excerpts (file_id, hash);
        """
}
