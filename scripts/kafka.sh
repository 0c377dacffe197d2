#!/usr/bin/env bash
# scripts/kafka.sh {start|stop|status|restart}
# Owns the local Kafka broker that tsdbt's Kafka source tests and demos use: Apache Kafka (KRaft, one
# combined broker+controller) from Maven Central jars, since no Docker and no Apache download site are
# reachable here. Jars are fetched once with Maven (scripts/kafka/pom.xml) into a cache outside the repo;
# every start formats a FRESH, empty log dir (data does not survive a restart). Loopback only.
# Non-interactive and idempotent: `start` on a running, healthy broker does nothing. Env:
#   TSDBT_CACHE        cache root (default $HOME/.cache/tsdbt); jars in $TSDBT_CACHE/kafka/libs
#   TSDBT_KAFKA_PORT   broker port (default 19092); the controller uses port+1 (default 19093)
#   TSDBT_KAFKA_JAVA   java binary (default: JDK 17 from /usr/lib/jvm if present, else `java`)
# Bootstrap servers for clients: 127.0.0.1:${TSDBT_KAFKA_PORT:-19092} (use 127.0.0.1, not localhost).
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "$SCRIPT_DIR/lib.sh"

N=kafka
HOST=127.0.0.1
PORT="${TSDBT_KAFKA_PORT:-19092}"
[[ "$PORT" =~ ^[0-9]+$ ]] || die $N "TSDBT_KAFKA_PORT must be a number, got '$PORT'"
CPORT=$((PORT + 1))
POM="$SCRIPT_DIR/kafka/pom.xml"
KDIR="$TSDBT_CACHE/kafka"
LIBS="$KDIR/libs"
RUN="$KDIR/run"
PIDFILE="$RUN/kafka.pid"
LOG="$RUN/server.log"
READY_TIMEOUT=90
# Java options for the short-lived CLI tools (format, readiness probe): quick start-up, quiet logs
TOOL_OPTS=(-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)

pick_java() {
  if [ -n "${TSDBT_KAFKA_JAVA:-}" ]; then JAVA="$TSDBT_KAFKA_JAVA"; return; fi
  local j
  for j in /usr/lib/jvm/java-17-openjdk-*/bin/java; do
    [ -x "$j" ] && { JAVA="$j"; return; }
  done
  if ! command -v java >/dev/null 2>&1; then apt_install $N openjdk-17-jre-headless; fi
  JAVA="$(command -v java)"
}

# --- jars ------------------------------------------------------------------------------------------
ensure_libs() {
  local stamp want
  want="$(sha256sum "$POM" | cut -d' ' -f1)"
  stamp="$LIBS/.pom.sha256"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && compgen -G "$LIBS/kafka_2.13-*.jar" >/dev/null; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || apt_install $N maven
  log $N "fetching Kafka jars with Maven into $LIBS (one-time) ..."
  local tmp="$KDIR/libs.tmp.$$"
  rm -rf "$tmp"; mkdir -p "$KDIR"
  if ! (cd "$SCRIPT_DIR/kafka" && mvn -q -B -f "$POM" dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$tmp" >"$KDIR/mvn.log" 2>&1); then
    tail -n 40 "$KDIR/mvn.log" >&2 || true
    rm -rf "$tmp"
    die $N "Maven could not fetch the Kafka jars (log tail above, full log $KDIR/mvn.log)"
  fi
  # exactly one SLF4J binding, or logging silently goes to the wrong place (or nowhere)
  local bindings
  bindings="$(find "$tmp" -maxdepth 1 -name '*.jar' -printf '%f\n' \
    | grep -E '^(slf4j-(simple|reload4j|log4j12|jdk14|nop|jcl)|logback-classic|log4j-slf4j2?-impl)-' || true)"
  if [ "$(printf '%s\n' "$bindings" | grep -c .)" != 1 ]; then
    rm -rf "$tmp"
    die $N "expected exactly one SLF4J binding in the Kafka libs, found: ${bindings:-none} (fix exclusions in $POM)"
  fi
  printf '%s\n' "$want" >"$tmp/.pom.sha256"
  rm -rf "$LIBS"; mv "$tmp" "$LIBS"
  log $N "fetched $(find "$LIBS" -maxdepth 1 -name '*.jar' | wc -l) jars ($(find "$LIBS" -maxdepth 1 -name 'kafka_2.13-*.jar' -printf '%f'))"
}

# --- process helpers -------------------------------------------------------------------------------
our_pid() {
  local pid
  [ -f "$PIDFILE" ] || return 1
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  pid_alive "$pid" "kafka.Kafka" || return 1
  printf '%s\n' "$pid"
}

# real metadata round trip through the admin client (an open port is not enough)
probe() {
  [ -d "$LIBS" ] && port_open "$HOST" "$PORT" || return 1
  local cfg="$KDIR/admin-probe.properties"
  printf 'request.timeout.ms=5000\ndefault.api.timeout.ms=10000\n' >"$cfg"
  timeout 30 "$JAVA" "${TOOL_OPTS[@]}" -cp "$LIBS/*" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$HOST:$PORT" --command-config "$cfg" --list >/dev/null 2>&1
}

fail_with_log() {
  echo "----- tail of $LOG -----" >&2
  tail -n 40 "$LOG" >&2 || true
  echo "------------------------" >&2
  die $N "$*"
}

wait_ready() {
  local pid="$1" deadline=$(( $(now_s) + READY_TIMEOUT ))
  while :; do
    pid_alive "$pid" || fail_with_log "broker process $pid exited during start-up"
    if port_open "$HOST" "$PORT" && probe; then return 0; fi
    [ "$(now_s)" -lt "$deadline" ] || fail_with_log "not ready on $HOST:$PORT after ${READY_TIMEOUT}s (broker still running as pid $pid)"
    sleep 1
  done
}

# A FindCoordinator call makes the broker create __consumer_offsets now, so the first consumer group
# of a test does not log "The group coordinator is not available" (kafkajs logs that at ERROR level).
warm_group_coordinator() {
  local out
  out="$(timeout 40 "$JAVA" "${TOOL_OPTS[@]}" -cp "$LIBS/*" org.apache.kafka.tools.consumer.group.ConsumerGroupCommand \
    --bootstrap-server "$HOST:$PORT" --command-config "$KDIR/admin-probe.properties" \
    --describe --group tsdbt-warmup 2>&1)" || fail_with_log "group coordinator not available: $out"
}

write_properties() {
  cat >"$RUN/server.properties" <<EOF
# Generated by scripts/kafka.sh on each start; throwaway single-node KRaft test broker on loopback.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CPORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CPORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$RUN/data
num.partitions=1
# auto.create.topics.enable stays at its default (true)
offsets.topic.replication.factor=1
# one partition for __consumer_offsets / __transaction_state: faster first group join on 2 cores
offsets.topic.num.partitions=1
transaction.state.log.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
}

# --- commands --------------------------------------------------------------------------------------
cmd_start() {
  pick_java
  local pid
  if pid="$(our_pid)"; then
    if probe; then log $N "already running (pid $pid) on $HOST:$PORT"; return 0; fi
    log $N "pid $pid is up but not answering yet; waiting"
    wait_ready "$pid"; log $N "ready on $HOST:$PORT (pid $pid)"; return 0
  fi
  for p in "$PORT" "$CPORT"; do
    port_open "$HOST" "$p" && die $N "port $HOST:$p is taken by a process not started by this script (pid file $PIDFILE); stop it first"
  done
  ensure_libs
  rm -rf "$RUN"; mkdir -p "$RUN/data"
  write_properties
  local cluster_id
  cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  log $N "formatting fresh KRaft storage in $RUN/data"
  "$JAVA" "${TOOL_OPTS[@]}" -cp "$LIBS/*" kafka.tools.StorageTool format \
      -t "$cluster_id" -c "$RUN/server.properties" --ignore-formatted >"$RUN/format.log" 2>&1 \
    || { cat "$RUN/format.log" >&2; die $N "kafka storage format failed"; }
  log $N "starting broker on $HOST:$PORT (controller $HOST:$CPORT), log $LOG"
  # setsid: own session, so the broker outlives this script and the caller's terminal/job
  # shellcheck disable=SC2016 # $$ and $@ expand in the inner bash
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PIDFILE" \
    "$JAVA" -Xmx512m -Xms512m -XX:+UseG1GC -Djava.awt.headless=true \
      -Dorg.slf4j.simpleLogger.showDateTime=true \
      -Dorg.slf4j.simpleLogger.dateTimeFormat="yyyy-MM-dd'T'HH:mm:ss.SSS" \
      -cp "$LIBS/*" kafka.Kafka "$RUN/server.properties" \
    </dev/null >"$LOG" 2>&1 &
  local _
  for _ in $(seq 1 50); do [ -s "$PIDFILE" ] && break; sleep 0.1; done
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [ -n "$pid" ] || fail_with_log "broker did not start (no pid written)"
  wait_ready "$pid"
  warm_group_coordinator
  log $N "ready on $HOST:$PORT (pid $pid)"
}

cmd_stop() {
  local pid
  if ! pid="$(our_pid)"; then
    rm -f "$PIDFILE"
    log $N "not running"
    return 0
  fi
  log $N "stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$(( $(now_s) + 30 ))
  while pid_alive "$pid"; do
    if [ "$(now_s)" -ge "$deadline" ]; then
      log $N "still alive after 30 s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.3
  done
  pid_alive "$pid" && die $N "could not stop pid $pid"
  rm -f "$PIDFILE"
  log $N "stopped"
}

cmd_status() {
  pick_java
  local pid
  if pid="$(our_pid)" && probe; then
    log $N "running (pid $pid) on $HOST:$PORT"
    return 0
  fi
  if [ -n "${pid:-}" ]; then log $N "process $pid alive but not answering on $HOST:$PORT"
  else log $N "not running"; fi
  return 3
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart) cmd_stop; cmd_start ;;
  *) echo "usage: $0 {start|stop|status|restart}" >&2; exit 2 ;;
esac
