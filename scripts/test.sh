#!/usr/bin/env bash
# Runs the linters (ruff, pylint-odoo: any finding stops it), then the whole test
# suite: a fresh test database with the three addons installed,
# then every test in the addons' tests/ folders and in the top-level tests/ folder,
# by pytest with pytest-odoo. Extra arguments go to pytest (e.g. -k tier, -x).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB=${ODOO_TEST_DB:-crm_value_test}

check_odoo_src
ensure_postgres
ensure_venv
run_linters
ensure_browser
write_config "$DB" "$TEST_ADDONS_DIR"

say "creating a fresh test database $DB with the addons ($ADDONS) and the test addons"
dropdb --if-exists "$DB"
rm -rf "$RUN_DIR/data/filestore/$DB"
odoo_bin -d "$DB" -i "$ADDONS,$TEST_ADDONS" --stop-after-init \
    --logfile="$RUN_DIR/test-install.log" --log-level=warn \
    || { tail -40 "$RUN_DIR/test-install.log"; die "installing the addons failed (log: $RUN_DIR/test-install.log)"; }
if grep -E " (ERROR|CRITICAL) |failed to install" "$RUN_DIR/test-install.log"; then
    die "installing the addons logged errors (log: $RUN_DIR/test-install.log)"
fi

# Before pytest, so that pytest's summary stays the last line: a generated
# company of 1,000 customers, the nightly recompute, and the engine's figures
# equal to the raw-SQL floor's for every customer (bench/smoke.py; ~4 min).
SMOKE_DB=${ODOO_SMOKE_DB:-crm_value_smoke}
say "smoke benchmark: 1,000 generated customers against the floor ($SMOKE_DB)"
write_config "$SMOKE_DB"
"$VENV/bin/python" "$REPO/bench/smoke.py" --config "$ODOO_CONF" --database "$SMOKE_DB" \
    >"$RUN_DIR/smoke.log" 2>&1 \
    || { tail -40 "$RUN_DIR/smoke.log"; die "the smoke benchmark failed (log: $RUN_DIR/smoke.log)"; }
grep "^smoke:" "$RUN_DIR/smoke.log"
write_config "$DB" "$TEST_ADDONS_DIR"

say "running the tests"
cd "$REPO"
# pytest exits 5 when it collected nothing: that is a failure here too. A
# skipped test fails the run (scripts/pytest_no_skip.py): Odoo skips its
# browser tests, without failing, when it finds no Chrome or no websocket-client.
PYTHONPATH="$REPO/scripts${PYTHONPATH:+:$PYTHONPATH}" exec "$VENV/bin/pytest" \
    -p pytest_no_skip --odoo-config="$ODOO_CONF" --odoo-database="$DB" --odoo-http \
    ${ADDONS//,/ } test_addons tests "$@"
