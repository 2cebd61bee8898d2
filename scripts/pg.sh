#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for tests: scripts/pg.sh start|stop|url|pause|resume
# Uses Debian's postgresql package (installed by .ci/run / `make pg`); data lives in $CCHC_PG_DIR.
set -euo pipefail
DIR=${CCHC_PG_DIR:-/tmp/cchc-pg}
PORT=${CCHC_PG_PORT:-55432}
DB=${CCHC_PG_DB:-cchc_test}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$PGBIN" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    if [ -f "$DIR/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
      echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/$DB"; exit 0
    fi
    rm -rf "$DIR"; mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
    as_pg "$PGBIN/initdb" -D "$DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1
    as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
    as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB"
    echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/$DB"
    ;;
  stop)
    if [ -d "$DIR/data" ]; then as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$DIR"
    ;;
  url)
    echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/$DB"
    ;;
  pause)   # stop the server, keep its data (restart tests)
    as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
    ;;
  resume)
    as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
    ;;
  *)
    echo "usage: scripts/pg.sh start|stop|url|pause|resume" >&2; exit 2
    ;;
esac
