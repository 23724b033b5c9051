#!/usr/bin/env python3
"""Loads acrscan NDJSON exports into ClickHouse running in-process (chDB, `pip install chdb`) with
the recipe of docs/sql/clickhouse.sql, and prints the views as JSON:

    python3 scripts/chdb-load.py DATA_DIR web-1.ndjson web-2.ndjson ...

DATA_DIR keeps the ClickHouse tables between runs (loading an export again adds nothing). Prints one
JSON object: {"rows": N, "groups": [...], "days": [...]}, rows counted after deduplication (FINAL).
The end-to-end tests run it (FleetRollupTests); it is also a way to query exports without a server.
"""
import json
import os
import sys

from chdb import session

RECIPE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "sql", "clickhouse.sql")


def statements(text):
    """The SQL statements of the recipe, comments dropped."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]


def rows(sess, query):
    out = sess.query(query, "JSONEachRow")
    return [json.loads(line) for line in str(out).splitlines() if line.strip()]


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: chdb-load.py DATA_DIR [EXPORT.ndjson ...]")
    sess = session.Session(sys.argv[1])
    with open(RECIPE, encoding="utf-8") as f:
        for statement in statements(f.read()):
            sess.query(statement)
    for path in sys.argv[2:]:
        quoted = os.path.abspath(path).replace("\\", "\\\\").replace("'", "\\'")
        sess.query(f"INSERT INTO acr_auth_failures FROM INFILE '{quoted}' "
                   "SETTINGS date_time_input_format = 'best_effort' FORMAT JSONEachRow")
    result = {
        "rows": rows(sess, "SELECT count() AS n FROM acr_auth_failures FINAL")[0]["n"],
        "groups": rows(sess, "SELECT * FROM acr_failure_groups ORDER BY registry, type"),
        "days": rows(sess, "SELECT * FROM acr_failure_days ORDER BY day, registry, type"),
    }
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
