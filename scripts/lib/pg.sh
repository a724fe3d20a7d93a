# Sourced by scripts/test and scripts/bench: installs PostgreSQL from Debian's packages when
# it is missing and starts a throwaway server on a free port (as the 'postgres' user when run
# as root: PostgreSQL refuses to run as root). Sets HARBOUR_TEST_PG_URL; the server and its
# files are removed when the calling script exits.
#   start_throwaway_postgres fast     # fsync off: for the test suite
#   start_throwaway_postgres durable  # PostgreSQL's defaults: for benchmarks

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; exit 1; fi
}

apt_updated=
apt_install() {
  if [[ -z $apt_updated ]]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [[ -x $d/initdb ]] && { echo "$d"; return; }; done
  command -v initdb >/dev/null && dirname "$(command -v initdb)"
}

run_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_throwaway_postgres() {
  local mode=${1:-fast}
  [[ -n $(pg_bin) ]] || { echo "installing PostgreSQL…"; apt_install postgresql; }
  PG_BIN=$(pg_bin)
  pg_tmp=$(mktemp -d /tmp/harbour-pg.XXXXXX)
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    chown postgres "$pg_tmp"
  fi
  trap 'run_pg "$PG_BIN/pg_ctl" -D "$pg_tmp/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pg_tmp"' EXIT
  local port=$(( 20000 + RANDOM % 20000 ))
  while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  local opts="-p $port -k $pg_tmp -c listen_addresses=127.0.0.1 -c max_connections=300"
  [[ $mode == fast ]] && opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  run_pg "$PG_BIN/initdb" -D "$pg_tmp/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  run_pg "$PG_BIN/pg_ctl" -D "$pg_tmp/data" -l "$pg_tmp/server.log" -w -o "$opts" start >/dev/null
  export HARBOUR_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$port (throwaway, $mode)"
}
