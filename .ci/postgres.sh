# Sourced by .ci/run: starts a throwaway PostgreSQL server for the fleet roll-up tests, listening
# only on a Unix socket in a temporary directory, as the `postgres` user when run as root (the
# server refuses to run as root). Exports ACRSCAN_TEST_PGHOST, ACRSCAN_TEST_PGUSER and
# ACRSCAN_TEST_PSQL for the tests, and stops the server when the calling shell exits.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "PostgreSQL server binaries not found: the PostgreSQL tests will be skipped" >&2
  return 0
fi
pg_dir=$(mktemp -d /tmp/acrscan-pg.XXXXXX)
pg_as=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$pg_dir"
  pg_as=(runuser -u postgres --)
fi
"${pg_as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres -E UTF8 --no-locale >"$pg_dir/initdb.log"
"${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-k $pg_dir -c listen_addresses= -c fsync=off" start >/dev/null
trap '"${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1; rm -rf "$pg_dir"' EXIT
export ACRSCAN_TEST_PGHOST="$pg_dir" ACRSCAN_TEST_PGUSER=postgres ACRSCAN_TEST_PSQL="$pg_bin/psql"
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on $pg_dir"
