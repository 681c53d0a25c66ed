#!/usr/bin/env bash
# Runs the whole test suite: a fresh test database with the three addons installed,
# then every test in the addons' tests/ folders and in the top-level tests/ folder,
# by pytest with pytest-odoo. Extra arguments go to pytest (e.g. -k tier, -x).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB=${ODOO_TEST_DB:-crm_value_test}

check_odoo_src
ensure_postgres
ensure_venv
write_config "$DB"

say "creating a fresh test database $DB with the three addons"
dropdb --if-exists "$DB"
rm -rf "$RUN_DIR/data/filestore/$DB"
odoo_bin -d "$DB" -i "$ADDONS" --stop-after-init \
    --logfile="$RUN_DIR/test-install.log" --log-level=warn \
    || { tail -40 "$RUN_DIR/test-install.log"; die "installing the addons failed (log: $RUN_DIR/test-install.log)"; }
if grep -E " (ERROR|CRITICAL) |failed to install" "$RUN_DIR/test-install.log"; then
    die "installing the addons logged errors (log: $RUN_DIR/test-install.log)"
fi

say "running the tests"
cd "$REPO"
# pytest exits 5 when it collected nothing: that is a failure here too.
exec "$VENV/bin/pytest" --odoo-config="$ODOO_CONF" --odoo-database="$DB" --odoo-http \
    crm_value crm_lifecycle crm_care tests "$@"
