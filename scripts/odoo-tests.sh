#!/usr/bin/env bash
# Runs Odoo's own test suites of the modules our addons extend on two databases,
# one without and one with our addons, each on its fully loaded registry, and
# compares the outcome of every test. Not in CI: all of them take about an hour.
#
#   scripts/odoo-tests.sh                     # every test of ODOO_TEST_MODULES
#   ODOO_TEST_TAGS=/account:TestAccountPaymentRegister,/account:TestAccountEarlyPaymentDiscount \
#       scripts/odoo-tests.sh                 # some classes only
#
# Odoo runs a module's at_install tests right after loading that module, before
# any addon depending on it is loaded, so `-u sale_stock --test-enable` never
# exercises our overrides: here scripts/odoo_tests_runner.py loads the whole
# registry first, then runs the modules' tests (at_install and post_install).
#
# Variables:
#   ODOO_TEST_MODULES   modules whose tests run (default below)
#   ODOO_TEST_TAGS      Odoo --test-tags selection within them (default: all)
#   ODOO_TESTS_DB_WITHOUT, ODOO_TESTS_DB_WITH   the two databases (made if missing)
#   ODOO_TESTS_FRESH=1  drop and recreate both databases first
#   ODOO_TESTS_OUT      folder of the results (default .run/odoo-tests)
# Exit status 1 when a test's outcome differs between the two databases.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ODOO_TEST_MODULES=${ODOO_TEST_MODULES:-sale_margin,sale_stock,stock_account,crm,survey,sale,account}
ODOO_TEST_TAGS=${ODOO_TEST_TAGS:-}
DB_WITHOUT=${ODOO_TESTS_DB_WITHOUT:-crm_value_odoo_without}
DB_WITH=${ODOO_TESTS_DB_WITH:-crm_value_odoo_with}
OUT=${ODOO_TESTS_OUT:-$RUN_DIR/odoo-tests}
# What our addons depend on: both registries hold it, and differ by our addons only.
DEPENDENCIES=sale_management,sale_margin,sale_stock,stock_account,crm,survey,portal,resource

check_odoo_src
ensure_postgres
ensure_venv
[ -f "$ODOO_CONF" ] || write_config "$DB_WITH"
mkdir -p "$OUT"

install_db() { # install_db DB MODULES
    if [ "${ODOO_TESTS_FRESH:-0}" = 1 ]; then
        dropdb --if-exists "$1"
        rm -rf "$RUN_DIR/data/filestore/$1"
    fi
    db_exists "$1" && return
    say "creating the database $1 with $2"
    odoo_bin -d "$1" -i "$2" --stop-after-init --log-level=warn \
        --logfile="$OUT/install-$1.log" \
        || { tail -40 "$OUT/install-$1.log"; die "installing $1 failed (log: $OUT/install-$1.log)"; }
}

install_db "$DB_WITHOUT" "$DEPENDENCIES,$ODOO_TEST_MODULES"
install_db "$DB_WITH" "$DEPENDENCIES,$ODOO_TEST_MODULES,$ADDONS"

for side in without with; do
    db=$DB_WITHOUT
    [ "$side" = with ] && db=$DB_WITH
    say "running the tests of $ODOO_TEST_MODULES ${ODOO_TEST_TAGS:+($ODOO_TEST_TAGS) }on $db ($side our addons)"
    "$VENV/bin/python" "$REPO/scripts/odoo_tests_runner.py" \
        --modules "$ODOO_TEST_MODULES" --tags "$ODOO_TEST_TAGS" --out "$OUT/$side.txt" \
        -- -c "$ODOO_CONF" -d "$db" --db-filter "^$db\$" --log-level=test \
        --logfile="$OUT/$side.log"
done

# One line per test: id, outcome without, outcome with ("missing": not run there).
join -1 2 -2 2 -a 1 -a 2 -e missing -o 0,1.1,2.1 \
    <(sort -k 2 "$OUT/without.txt") <(sort -k 2 "$OUT/with.txt") >"$OUT/comparison.txt"
awk -v out="$OUT" '
    { total++; count[$2 " -> " $3]++ }
    $2 != $3 { differ++; print "DIFFERS  " $2 " without, " $3 " with our addons: " $1 }
    $2 == $3 && $2 != "pass" && $2 != "skip" { print "BOTH     " $2 " on both sides (environment or Odoo itself): " $1 }
    END {
        for (pair in count) print "  " count[pair] " tests " pair
        printf "%d tests compared, %d differ (details: %s/comparison.txt, logs: %s/*.log)\n", total, differ, out, out
        exit differ > 0
    }
' "$OUT/comparison.txt"
