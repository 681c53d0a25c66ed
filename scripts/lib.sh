# Shared steps of scripts/run.sh and scripts/test.sh; sourced, never run alone.
# Everything here is idempotent: a second run reuses what the first one made.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo-src}
VENV=${VENV:-$REPO/.venv}
RUN_DIR=${RUN_DIR:-$REPO/.run}
ODOO_CONF=$RUN_DIR/odoo.conf
PYTHON=${PYTHON:-python3.11}
# The three layers, which the first release already had (the upgrade test
# installs and updates these), and the bridges to other Odoo apps (installed by
# themselves with their app: auto_install); ADDONS is every addon of the repo.
CORE_ADDONS=crm_value,crm_lifecycle,crm_care
BRIDGE_ADDONS=crm_value_mass_mailing
ADDONS=$CORE_ADDONS,$BRIDGE_ADDONS
# Addons that exist for the tests (installed in the test database only).
TEST_ADDONS_DIR=$REPO/test_addons
TEST_ADDONS=crm_value_test_figure

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$(printf '%q ' "$@")"; else sudo -u postgres "$@"; fi; }

# Odoo is not on PyPI: it is read from a source tree outside this repository.
check_odoo_src() {
    if [ ! -f "$ODOO_SRC/odoo/release.py" ] || [ ! -f "$ODOO_SRC/odoo-bin" ]; then
        cat >&2 <<MSG
error: no Odoo 18.0 source tree at ODOO_SRC=$ODOO_SRC
  Set ODOO_SRC to the folder that holds odoo-bin and the odoo/ package, e.g.
    git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git /opt/odoo-src
  (the official Odoo 18.0 Community source), then run this command again.
MSG
        exit 2
    fi
    grep -q "version_info = (18, 0" "$ODOO_SRC/odoo/release.py" \
        || die "$ODOO_SRC is not Odoo 18.0 (see $ODOO_SRC/odoo/release.py)"
    # A full source tree keeps the addons beside odoo/; some builds keep them all inside it.
    ODOO_ADDONS=$ODOO_SRC/odoo/addons
    [ -d "$ODOO_SRC/addons" ] && ODOO_ADDONS=$ODOO_SRC/addons,$ODOO_ADDONS
    [ -d "$ODOO_SRC/odoo/addons/sale_management" ] || [ -d "$ODOO_SRC/addons/sale_management" ] \
        || die "$ODOO_SRC has no sale_management addon: it is not a complete Odoo 18.0 tree"
}

ensure_postgres() {
    if ! command -v pg_lsclusters >/dev/null 2>&1; then
        say "installing PostgreSQL (Debian's postgresql package)"
        as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql libpq-dev >/dev/null
    fi
    if ! pg_lsclusters -h | grep -q .; then
        local version
        version=$(ls /usr/lib/postgresql | sort -n | tail -1)
        as_root pg_createcluster "$version" main >/dev/null
    fi
    if pg_lsclusters -h | awk '$4 != "online" {found=1} END {exit !found}'; then
        say "starting PostgreSQL"
        pg_lsclusters -h | awk '$4 != "online" {print $1, $2}' | while read -r ver name; do
            as_root pg_ctlcluster "$ver" "$name" start
        done
    fi
    # Odoo refuses the postgres role: connect as the unix user, through the socket.
    DB_USER=$(id -un)
    if ! as_postgres psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'" | grep -q 1; then
        say "creating the PostgreSQL role $DB_USER"
        as_postgres createuser --superuser "$DB_USER"
    fi
}

ensure_venv() {
    command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
    if [ ! -x "$VENV/bin/python" ]; then
        say "creating the virtual environment $VENV"
        "$PYTHON" -m venv "$VENV"
    fi
    local stamp=$VENV/.requirements.sha
    local want
    want=$(cat "$REPO"/requirements*.txt "$REPO/setup.py" "$ODOO_SRC/odoo/release.py" | sha1sum | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        say "installing Odoo 18's Python requirements and this project"
        "$VENV/bin/pip" install --disable-pip-version-check -r "$REPO/requirements.txt" \
            >"$VENV/pip.log" 2>&1 || { tail -30 "$VENV/pip.log"; die "pip install failed (log: $VENV/pip.log)"; }
        "$VENV/bin/pip" install --disable-pip-version-check -r "$REPO/requirements-lint.txt" \
            >>"$VENV/pip.log" 2>&1 || { tail -30 "$VENV/pip.log"; die "pip install of the linters failed"; }
        "$VENV/bin/pip" install --disable-pip-version-check --no-deps -r "$REPO/requirements-data.txt" \
            >>"$VENV/pip.log" 2>&1 || { tail -30 "$VENV/pip.log"; die "pip install of the data sets failed"; }
        "$VENV/bin/pip" install --disable-pip-version-check --no-build-isolation --no-deps -e "$REPO" \
            >>"$VENV/pip.log" 2>&1 || { tail -30 "$VENV/pip.log"; die "pip install -e . failed"; }
        echo "$want" > "$stamp"
    fi
    # Odoo's source tree is not pip-installable here: a .pth puts it on the venv's path.
    local site
    site=$("$VENV/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    echo "$ODOO_SRC" > "$site/odoo_src.pth"
    "$VENV/bin/python" -c "import odoo.release, pytest_odoo" \
        || die "the virtual environment $VENV is broken: remove it and run again"
}

# Odoo's browser tests (tours) drive a headless Chrome, and skip themselves
# silently without one: install Debian's chromium when none is found (the
# names Odoo looks for, odoo/tests/common.py _find_executable).
ensure_browser() {
    local name
    for name in google-chrome chromium chromium-browser google-chrome-stable; do
        command -v "$name" >/dev/null 2>&1 && return 0
    done
    say "installing Debian's chromium for the browser tests"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null \
        || die "installing chromium failed: the browser tests need Chrome or Chromium"
    command -v chromium >/dev/null 2>&1 || die "chromium was installed but is not on PATH"
}

# write_config DB_NAME [ADDONS_DIR]: the Odoo configuration both commands use;
# ADDONS_DIR (e.g. $TEST_ADDONS) goes on the addons path too.
write_config() {
    mkdir -p "$RUN_DIR/data"
    cat > "$ODOO_CONF" <<CONF
[options]
addons_path = $REPO,${2:+$2,}$ODOO_ADDONS
data_dir = $RUN_DIR/data
db_host = False
db_port = False
db_user = $DB_USER
db_password = False
db_name = $1
dbfilter = ^$1\$
http_interface = 127.0.0.1
http_port = ${ODOO_PORT:-8069}
list_db = False
admin_passwd = ${ODOO_MASTER_PASSWORD:-admin}
without_demo = False
CONF
}

odoo_bin() { "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" "$@"; }

db_exists() { psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1; }

# True when all three addons are installed in database $1.
addons_installed() {
    local names
    names=$(printf "'%s'," ${ADDONS//,/ })
    db_exists "$1" && [ "$(psql -d "$1" -tAc "SELECT count(*) FROM ir_module_module
        WHERE name IN (${names%,}) AND state = 'installed'" 2>/dev/null)" = "$(echo "${ADDONS//,/ }" | wc -w)" ]
}

# The linters the README names, as a gate: ruff (lint and format) over the whole
# repository, pylint-odoo (.pylintrc, the OCA's checks) over the three addons.
run_linters() {
    say "linting: ruff check, ruff format --check, pylint-odoo"
    (cd "$REPO" \
        && "$VENV/bin/ruff" check . \
        && "$VENV/bin/ruff" format --check . \
        && "$VENV/bin/pylint" --rcfile=.pylintrc ${ADDONS//,/ }) \
        || die "a linter found something to fix (above); the tests did not run"
}
