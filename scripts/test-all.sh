#!/usr/bin/env bash
# The whole test suite from a fresh clone: installs npm packages (which builds dist/), starts the real services the
# integration tests use (PostgreSQL, Kafka, Trino), runs vitest, and prints one plain "N passed, N failed, N skipped" line.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== npm install"
# `npm install` rather than `npm ci`: npm 11 leaves the optional per-platform DuckDB bindings out of the lock file,
# which `npm ci` then rejects as out of sync. The lock file still pins every version that is installed.
npm install --no-audit --no-fund --loglevel=error

echo "== services"
bash scripts/postgres.sh start
bash scripts/kafka.sh start
bash scripts/trino.sh start
# The docs site tests drive a real headless Chromium (Debian package; never a downloaded browser).
[ -x /usr/bin/chromium ] || (source scripts/lib.sh && apt_install chromium chromium)
export TSDBT_SERVICES=postgres,kafka,trino
# dbt-core itself, for the side-by-side compatibility tests (tsdbt must build what dbt builds).
venv="${TSDBT_CACHE:-$HOME/.cache/tsdbt}/dbt-venv"
if [ ! -x "$venv/bin/dbt" ]; then
  echo "== dbt-core virtualenv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q dbt-core==1.11.* dbt-duckdb==1.10.* dbt-postgres==1.11.* duckdb==1.5.6
fi

echo "== tests"
mkdir -p test-output
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-output/vitest.json || status=$?
node scripts/test-summary.mjs test-output/vitest.json || status=1
exit "$status"
