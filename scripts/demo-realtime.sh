#!/usr/bin/env bash
# scripts/demo-realtime.sh: from a Kafka event to a refreshed mart in seconds, with no orchestrator (issue #10).
# Starts PostgreSQL and Kafka (scripts/postgres.sh, scripts/kafka.sh), loads the seeds the marts need (users, items)
# into a database of its own on the `pg` target, runs `tsdbt ingest` (Kafka -> raw.user_events, exactly once) and
# `tsdbt run --every 2s -s tag:realtime` (the incremental marts user_event_summary and events_per_minute, and
# user_conversion_rate on top), produces synthetic events at a steady rate stamped with the wall time they are
# produced, and prints the measured event-to-mart latency (p50/p95) and whether the marts' counts are exact. Then
# it stops the loop and the ingester with SIGTERM, deletes its topic, and stops the services it started.
# Env (all optional):
#   TSDBT_DEMO_RATE       events per second (default 1000)
#   TSDBT_DEMO_SECONDS    measured seconds (default 30), after TSDBT_DEMO_WARMUP seconds (default 10)
#   TSDBT_DEMO_EVERY      interval of the run loop (default 2s)
#   TSDBT_DEMO_DATABASE   PostgreSQL database, dropped and recreated (default tsdbt_demo; kept afterwards to explore)
#   TSDBT_DEMO_PARTITIONS partitions of the demo topic (default 6)
#   TSDBT_DEMO_JSON       also write the figures as JSON to this file (bench/freshness/run.mjs uses it)
#   TSDBT_DEMO_KEEP_SERVICES=1  leave PostgreSQL and Kafka running even if this script started them
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

N=demo
RATE="${TSDBT_DEMO_RATE:-1000}"
MEASURE="${TSDBT_DEMO_SECONDS:-30}"
WARMUP="${TSDBT_DEMO_WARMUP:-10}"
EVERY="${TSDBT_DEMO_EVERY:-2s}"
PARTITIONS="${TSDBT_DEMO_PARTITIONS:-6}"
export TSDBT_PG_DATABASE="${TSDBT_DEMO_DATABASE:-tsdbt_demo}"
[[ "$TSDBT_PG_DATABASE" =~ ^[a-z_][a-z0-9_]*$ ]] || die $N "TSDBT_DEMO_DATABASE must be a plain lower-case identifier"
RUN_ID="$(date +%s)_$$"
TOPIC="tsdbt-demo-$RUN_ID"
GROUP="tsdbt-demo-$RUN_ID"
LOGS="$(mktemp -d "${TMPDIR:-/tmp}/tsdbt-demo-XXXXXX")"
TSDBT=(node bin/tsdbt.js)
PROJECT=(--project-dir project --target pg)
export PGPASSWORD="${TSDBT_PG_PASSWORD:-tsdbt}" PGOPTIONS="-c client_min_messages=warning" NO_COLOR=1
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "${TSDBT_PG_HOST:-127.0.0.1}" -p "${TSDBT_PG_PORT:-5432}" -U tsdbt)

STARTED=()
INGEST_PID=""
LOOP_PID=""
TOPIC_CREATED=0

# stop_pid NAME PID: SIGTERM, wait for the exit (a second SIGTERM makes tsdbt ingest exit at once; never sent here)
stop_pid() {
  local name="$1" pid="$2" t0
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  t0=$(date +%s%N)
  kill -TERM "$pid" 2>/dev/null || true
  local code=0
  wait "$pid" || code=$?
  log $N "$name stopped (exit $code) $(( ($(date +%s%N) - t0) / 1000000 )) ms after SIGTERM"
}

cleanup() {
  local code=$?
  trap - EXIT INT TERM
  stop_pid "tsdbt run --every" "$LOOP_PID"
  stop_pid "tsdbt ingest" "$INGEST_PID"
  if [ "$TOPIC_CREATED" = 1 ]; then node bench/freshness/live.mjs drop --topic "$TOPIC" --group "$GROUP" || true; fi
  if [ "${TSDBT_DEMO_KEEP_SERVICES:-0}" != 1 ]; then
    for s in "${STARTED[@]}"; do bash "scripts/$s.sh" stop || true; done
  fi
  log $N "logs in $LOGS"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log $N "1/7 services"
for s in postgres kafka; do
  if ! bash "scripts/$s.sh" status >/dev/null 2>&1; then
    bash "scripts/$s.sh" start
    STARTED+=("$s")
  fi
done
[ -f dist/cli/main.js ] || { log $N "building tsdbt (npm run build)"; npm run build --silent; }

log $N "2/7 database $TSDBT_PG_DATABASE (dropped and recreated) and the seeds the marts join: users, items"
"${PSQL[@]}" -d tsdbt -c "drop database if exists $TSDBT_PG_DATABASE with (force)" -c "create database $TSDBT_PG_DATABASE"
"${TSDBT[@]}" seed "${PROJECT[@]}" --select users items >"$LOGS/seed.log" 2>&1 || { cat "$LOGS/seed.log"; die $N "tsdbt seed failed"; }

log $N "3/7 topic $TOPIC ($PARTITIONS partitions) and tsdbt ingest into raw.user_events"
node bench/freshness/live.mjs topic --topic "$TOPIC" --partitions "$PARTITIONS"
TOPIC_CREATED=1
"${TSDBT[@]}" ingest "${PROJECT[@]}" --topic "$TOPIC" --group "$GROUP" --progress-interval 5 >"$LOGS/ingest.log" 2>&1 &
INGEST_PID=$!
deadline=$(( $(now_s) + 60 ))
until [ "$("${PSQL[@]}" -d "$TSDBT_PG_DATABASE" -tAc "select to_regclass('raw.user_events') is not null")" = t ]; do
  kill -0 "$INGEST_PID" 2>/dev/null || { cat "$LOGS/ingest.log"; die $N "tsdbt ingest exited"; }
  [ "$(now_s)" -lt "$deadline" ] || die $N "tsdbt ingest did not create raw.user_events within 60 s (see $LOGS/ingest.log)"
  sleep 0.2
done
# The marts read only the events after their watermark, and the loop reads max(event_time) each cycle: an index on
# the loaded_at_field makes both proportional to the new events instead of the table.
"${PSQL[@]}" -d "$TSDBT_PG_DATABASE" -c "create index if not exists user_events_event_time on raw.user_events (event_time)"

log $N "4/7 first build of the real-time marts and the views they read: tsdbt run -s +tag:realtime"
"${TSDBT[@]}" run "${PROJECT[@]}" -s +tag:realtime >"$LOGS/first-run.log" 2>&1 || { cat "$LOGS/first-run.log"; die $N "tsdbt run failed"; }

log $N "5/7 the loop: tsdbt run --target pg -s tag:realtime --every $EVERY"
"${TSDBT[@]}" run "${PROJECT[@]}" -s tag:realtime --every "$EVERY" >"$LOGS/loop.log" 2>&1 &
LOOP_PID=$!

log $N "6/7 producing and measuring"
json_args=()
[ -n "${TSDBT_DEMO_JSON:-}" ] && json_args=(--json "$TSDBT_DEMO_JSON")
status=0
node bench/freshness/live.mjs measure --topic "$TOPIC" --database "$TSDBT_PG_DATABASE" --rate "$RATE" \
  --warmup "$WARMUP" --seconds "$MEASURE" "${json_args[@]}" || status=$?

log $N "7/7 stopping the loop and the ingester (SIGTERM: each finishes its cycle or batch)"
stop_pid "tsdbt run --every" "$LOOP_PID"; LOOP_PID=""
stop_pid "tsdbt ingest" "$INGEST_PID"; INGEST_PID=""
cycles="$(sed -nE 's/.*cycle [0-9]+: ([0-9]+) ran, .* in ([0-9.]+)s$/\1 \2/p' "$LOGS/loop.log")"
if [ -n "$cycles" ]; then
  n=$(wc -l <<<"$cycles"); busy=$(awk '$1 > 0' <<<"$cycles" | wc -l)
  times="$(awk '$1 > 0 { print $2 }' <<<"$cycles" | sort -n)"
  [ "$busy" -gt 0 ] && log $N "the loop ran $n cycles, $busy of them with new source data (the others skipped every model); those took p50 $(sed -n "$(( (busy + 1) / 2 ))p" <<<"$times") s, max $(tail -n1 <<<"$times") s"
fi
log $N "explore: psql -h 127.0.0.1 -U tsdbt $TSDBT_PG_DATABASE -c 'select * from gold.user_event_summary order by total_events desc limit 5'"
exit "$status"
