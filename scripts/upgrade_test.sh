#!/usr/bin/env bash
# The upgrade from the first release keeps a company's data. Installs the first
# release (the commit in scripts/first_release.txt, extracted with git archive)
# with its demo data and Chinese into a fresh database, adds what the release
# could hold beyond its demo, records counts and figures, updates the three
# addons with this tree (-u $CORE_ADDONS: the bridges are new addons, not in
# the release), and compares (scripts/upgrade_check.py). Prints
# each difference and exits non-zero on one. Same Odoo and virtual environment
# as scripts/test.sh; ODOO_UPGRADE_DB names the database (dropped when all is
# equal, kept to look at otherwise), FIRST_RELEASE another commit to start from.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB=${ODOO_UPGRADE_DB:-crm_value_upgrade}
RELEASE=${FIRST_RELEASE:-$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$REPO/scripts/first_release.txt" | head -1)}

check_odoo_src
ensure_postgres
ensure_venv

git -C "$REPO" cat-file -e "$RELEASE^{commit}" 2>/dev/null \
    || die "the first release $RELEASE (scripts/first_release.txt) is not in this clone: fetch the whole history (git fetch --unshallow) and run again"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/release"
git -C "$REPO" archive "$RELEASE" ${CORE_ADDONS//,/ } | tar -x -C "$WORK/release"
# Two configurations on one database: the release's addons, then this tree's.
REPO="$WORK/release" ODOO_CONF="$WORK/release.conf" write_config "$DB"
ODOO_CONF="$WORK/main.conf" write_config "$DB"

odoo_on() { local conf=$1; shift; "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$conf" -d "$DB" --stop-after-init "$@"; }
check() { "$VENV/bin/python" "$REPO/scripts/upgrade_check.py" --config "$1" --database "$DB" "${@:2}"; }
clean_log() {
    if grep -E " (ERROR|CRITICAL) |failed to (install|load)" "$1"; then
        die "$2 logged errors (log: $1)"
    fi
}

started=$SECONDS
say "installing the first release ${RELEASE:0:12} with demo data and Chinese into $DB"
dropdb --if-exists "$DB"
rm -rf "$RUN_DIR/data/filestore/$DB"
odoo_on "$WORK/release.conf" -i "$CORE_ADDONS" --load-language=zh_CN \
    --logfile="$RUN_DIR/upgrade-install.log" --log-level=warn \
    || { tail -40 "$RUN_DIR/upgrade-install.log"; die "installing the first release failed (log: $RUN_DIR/upgrade-install.log)"; }
clean_log "$RUN_DIR/upgrade-install.log" "installing the first release"
installed=$SECONDS

say "recording what the release holds"
check "$WORK/release.conf" seed
check "$WORK/release.conf" record "$WORK/before.json"
grep -q "\"addons_path\": \"$WORK/release\"" "$WORK/before.json" \
    || die "the release's database was not made by the release's addons (see $WORK/before.json)"

say "updating $DB with this tree (-u $CORE_ADDONS)"
odoo_on "$WORK/main.conf" -u "$CORE_ADDONS" \
    --logfile="$RUN_DIR/upgrade-update.log" --log-level=info \
    || { tail -40 "$RUN_DIR/upgrade-update.log"; die "the update failed (log: $RUN_DIR/upgrade-update.log)"; }
clean_log "$RUN_DIR/upgrade-update.log" "the update"
grep -E "Running migration" "$RUN_DIR/upgrade-update.log" | sed 's/.*module /    module /'
updated=$SECONDS

say "comparing"
status=0
check "$WORK/main.conf" compare "$WORK/before.json" || status=$?
printf 'upgrade: install %ss, update %ss, compare %ss, %ss in all\n' \
    $((installed - started)) $((updated - installed)) $((SECONDS - updated)) $((SECONDS - started))
if [ "$status" != 0 ]; then
    die "the upgrade from ${RELEASE:0:12} changed data (above); database $DB kept"
fi
dropdb "$DB"
rm -rf "$RUN_DIR/data/filestore/$DB"
