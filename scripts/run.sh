#!/usr/bin/env bash
# Installs and starts everything, then runs the product: PostgreSQL, a virtual
# environment with Odoo 18's requirements and this project, a database with the
# addons (the three layers and the Email Marketing bridge, which brings Email
# Marketing: a segment's campaign is part of the product) and demo data, and
# Odoo on http://localhost:8069 (admin/admin).
# Run again, it reuses what is there. `scripts/run.sh stop` stops the server.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB=${ODOO_DB:-crm_value}
PID_FILE=$RUN_DIR/odoo.pid
LOG_FILE=$RUN_DIR/odoo.log

server_running() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

if [ "${1:-}" = stop ]; then
    server_running && kill "$(cat "$PID_FILE")" && say "Odoo stopped" || say "Odoo was not running"
    rm -f "$PID_FILE"
    exit 0
fi

check_odoo_src
ensure_postgres
ensure_venv
write_config "$DB"

if ! addons_installed "$DB"; then
    say "installing the addons with demo data into database $DB (a few minutes)"
    odoo_bin -d "$DB" -i "$ADDONS" --load-language=zh_CN,en_US --stop-after-init \
        --logfile="$RUN_DIR/install.log" --log-level=warn \
        || { tail -40 "$RUN_DIR/install.log"; die "installing the addons failed (log: $RUN_DIR/install.log)"; }
    if grep -E " (ERROR|CRITICAL) |failed to install" "$RUN_DIR/install.log"; then
        die "installing the addons logged errors (log: $RUN_DIR/install.log)"
    fi
fi

if server_running; then
    say "Odoo is already running (pid $(cat "$PID_FILE"))"
else
    say "starting Odoo (log: $LOG_FILE)"
    nohup "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$DB" \
        --logfile="$LOG_FILE" >/dev/null 2>&1 &
    echo $! > "$PID_FILE"
fi

url=http://localhost:${ODOO_PORT:-8069}
for _ in $(seq 1 60); do
    if curl -fs -o /dev/null "$url/web/login"; then
        say "Odoo is running at $url — log in as admin / admin (database $DB)"
        exit 0
    fi
    server_running || { tail -40 "$LOG_FILE"; die "Odoo stopped while starting (log: $LOG_FILE)"; }
    sleep 2
done
die "Odoo did not answer on $url within two minutes (log: $LOG_FILE)"
