#!/usr/bin/env bash
# scripts/postgres.sh {start|stop|status}
# Owns the local PostgreSQL that tsdbt's tests, demos and scripts/trino.sh (Iceberg JDBC catalog) use:
# the Debian package's cluster <ver>/main (15 on Debian 12), bound to 127.0.0.1 only, with the fixed
# test login tsdbt/tsdbt (SUPERUSER) and database tsdbt. Installs the package when the server is missing.
# Idempotent and non-interactive; needs root (or passwordless sudo). Env:
#   TSDBT_PG_PORT     port (default 5432)
#   TSDBT_PG_VERSION  cluster major version (default: newest installed server, 15 on Debian 12)
# Connection: postgres://tsdbt:tsdbt@127.0.0.1:${TSDBT_PG_PORT:-5432}/tsdbt
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

N=postgres
PG_PORT="${TSDBT_PG_PORT:-5432}"
PG_HOST=127.0.0.1
PG_USER=tsdbt
PG_PASSWORD=tsdbt # fixed throwaway test password; this cluster only listens on 127.0.0.1
PG_DB=tsdbt
CLUSTER=main

[[ "$PG_PORT" =~ ^[0-9]+$ ]] || die $N "TSDBT_PG_PORT must be a number, got '$PG_PORT'"

as_postgres() {
  # run a command as the postgres OS user (peer auth on the unix socket), from a readable cwd
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@")
  else (cd / && sudo -n -u postgres -- "$@"); fi
}
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n -- "$@"; fi; }

server_versions() { ls -1 /usr/lib/postgresql/*/bin/postgres 2>/dev/null | awk -F/ '{print $5}' | sort -n; }

ensure_installed() {
  if [ -z "$(server_versions)" ] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
    apt_install $N postgresql
  fi
  PG_VER="${TSDBT_PG_VERSION:-$(server_versions | tail -n1)}"
  [ -n "$PG_VER" ] && [ -x "/usr/lib/postgresql/$PG_VER/bin/postgres" ] \
    || die $N "PostgreSQL server $PG_VER not installed (have: $(server_versions | tr '\n' ' '))"
  CONF_DIR="/etc/postgresql/$PG_VER/$CLUSTER"
}

cluster_exists() { [ -f "$CONF_DIR/postgresql.conf" ]; }
cluster_online() { pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VER" -v c="$CLUSTER" '$1==v && $2==c {print $4}' | grep -q '^online'; }

# write our settings; sets RESTART=1 if anything that needs a restart changed
configure() {
  RESTART=0
  local cur_port
  cur_port="$(pg_conftool -s "$PG_VER" "$CLUSTER" show port 2>/dev/null || true)"
  if [ "$cur_port" != "$PG_PORT" ]; then
    as_root pg_conftool "$PG_VER" "$CLUSTER" set port "$PG_PORT"
    RESTART=1
  fi
  # Debian's postgresql.conf ends with include_dir = 'conf.d', so this file overrides it.
  local want
  want="$(cat <<'EOF'
# Written by tsdbt scripts/postgres.sh; rewritten on every start. Do not edit by hand.
listen_addresses = '127.0.0.1'   # loopback only
max_connections = 200            # parallel test workers + Trino's JDBC catalog pool
password_encryption = 'scram-sha-256'
# THROWAWAY TEST CLUSTER ONLY: the three settings below trade crash safety for speed.
# A crash or power loss can corrupt every database in this cluster. Never use them for data you keep.
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
)"
  local f="$CONF_DIR/conf.d/tsdbt.conf"
  if [ ! -f "$f" ] || [ "$(cat "$f")" != "$want" ]; then
    as_root mkdir -p "$CONF_DIR/conf.d"
    printf '%s\n' "$want" | as_root tee "$f" >/dev/null
    as_root chown postgres:postgres "$f"
    RESTART=1
  fi
  # password (scram/md5) auth for TCP on 127.0.0.1; Debian's default pg_hba already has this line
  local hba="$CONF_DIR/pg_hba.conf"
  if ! grep -Eq '^[[:space:]]*host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+(scram-sha-256|md5)' "$hba"; then
    log $N "adding 127.0.0.1 scram-sha-256 rule to $hba"
    as_root sed -i '0,/^[[:space:]]*[^#[:space:]]/s//host    all    all    127.0.0.1\/32    scram-sha-256\n&/' "$hba"
    RESTART=1
  fi
}

wait_ready() {
  local deadline=$(( $(now_s) + 60 ))
  until pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; do
    if [ "$(now_s)" -ge "$deadline" ]; then
      tail -n 30 "/var/log/postgresql/postgresql-$PG_VER-$CLUSTER.log" >&2 || true
      die $N "not ready on $PG_HOST:$PG_PORT after 60 s (log tail above)"
    fi
    sleep 0.5
  done
}

ensure_role_db() {
  local psql=(psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres)
  as_postgres "${psql[@]}" >/dev/null <<EOF
DO \$\$BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE $PG_USER LOGIN SUPERUSER PASSWORD '$PG_PASSWORD';
  ELSE
    ALTER ROLE $PG_USER LOGIN SUPERUSER PASSWORD '$PG_PASSWORD';
  END IF;
END\$\$;
EOF
  if [ "$(as_postgres "${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != 1 ]; then
    log $N "creating database $PG_DB"
    as_postgres "${psql[@]}" -c "CREATE DATABASE $PG_DB OWNER $PG_USER" >/dev/null
  fi
}

check_login() {
  local out
  out="$(PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 psql -X -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -tAc 'SELECT 1' 2>&1)" \
    && [ "$out" = 1 ] || die $N "password login as $PG_USER on $PG_HOST:$PG_PORT failed: $out"
}

cmd_start() {
  ensure_installed
  if ! cluster_exists; then
    log $N "creating cluster $PG_VER/$CLUSTER"
    as_root pg_createcluster "$PG_VER" "$CLUSTER" -p "$PG_PORT" >/dev/null
  fi
  configure
  if cluster_online; then
    if [ "$RESTART" = 1 ] || ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
      log $N "restarting $PG_VER/$CLUSTER to apply settings"
      as_root pg_ctlcluster "$PG_VER" "$CLUSTER" restart
    else
      log $N "$PG_VER/$CLUSTER already running on $PG_HOST:$PG_PORT"
    fi
  else
    if port_open "$PG_HOST" "$PG_PORT"; then
      die $N "port $PG_HOST:$PG_PORT is taken by another process (set TSDBT_PG_PORT to use another port)"
    fi
    log $N "starting $PG_VER/$CLUSTER on $PG_HOST:$PG_PORT"
    as_root pg_ctlcluster "$PG_VER" "$CLUSTER" start \
      || { tail -n 30 "/var/log/postgresql/postgresql-$PG_VER-$CLUSTER.log" >&2 || true; die $N "pg_ctlcluster start failed (log tail above)"; }
  fi
  wait_ready
  ensure_role_db
  check_login
  log $N "ready: postgres://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$PG_DB"
}

cmd_stop() {
  if [ -z "$(server_versions)" ]; then log $N "not installed; nothing to stop"; return 0; fi
  PG_VER="${TSDBT_PG_VERSION:-$(server_versions | tail -n1)}"
  CONF_DIR="/etc/postgresql/$PG_VER/$CLUSTER"
  if cluster_exists && cluster_online; then
    log $N "stopping $PG_VER/$CLUSTER"
    as_root pg_ctlcluster "$PG_VER" "$CLUSTER" stop -m fast
  else
    log $N "$PG_VER/$CLUSTER not running"
  fi
}

cmd_status() {
  if [ -z "$(server_versions)" ]; then log $N "not installed"; return 3; fi
  PG_VER="${TSDBT_PG_VERSION:-$(server_versions | tail -n1)}"
  CONF_DIR="/etc/postgresql/$PG_VER/$CLUSTER"
  if cluster_exists && cluster_online && pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
    log $N "running: $PG_VER/$CLUSTER on $PG_HOST:$PG_PORT"
    return 0
  fi
  log $N "not running ($PG_VER/$CLUSTER on $PG_HOST:$PG_PORT)"
  return 3
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart) cmd_stop; cmd_start ;;
  *) echo "usage: $0 {start|stop|status|restart}" >&2; exit 2 ;;
esac
