#!/usr/bin/env bash
# Maintainer tool: regenerate each addon's .pot from an installed database (the
# test database by default) and merge it into zh_CN.po; new entries come out
# empty, to be translated with the terms of DOMAIN.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DB=${1:-${ODOO_TEST_DB:-crm_value_test}}
check_odoo_src
ensure_postgres
ensure_venv
write_config "$DB"
for addon in ${ADDONS//,/ }; do
    pot=$REPO/$addon/i18n/$addon.pot po=$REPO/$addon/i18n/zh_CN.po
    odoo_bin -d "$DB" --i18n-export="$pot" --modules="$addon" --stop-after-init --log-level=warn
    if [ -f "$po" ]; then
        msgmerge --quiet --no-fuzzy-matching --no-wrap --update --backup=none "$po" "$pot"
    else
        msginit --no-translator --no-wrap --locale=zh_CN --input="$pot" --output-file="$po"
    fi
done
