#!/usr/bin/env bash
# Maintainer tool: regenerate each addon's README.rst from its readme/*.md
# fragments and its manifest, the OCA way (oca-gen-addon-readme, of OCA's
# maintainer-tools, with pandoc for the Markdown fragments). The tool lives in
# its own virtual environment, .venv-readme/, never in the addons' one.
# MAINTAINER_TOOLS: where to install it from (a pip requirement; default the
# OCA repository on GitHub, or a local checkout of it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
TOOLS_VENV=$REPO/.venv-readme
MAINTAINER_TOOLS=${MAINTAINER_TOOLS:-git+https://github.com/OCA/maintainer-tools}
if [ ! -x "$TOOLS_VENV/bin/oca-gen-addon-readme" ]; then
    say "installing oca-gen-addon-readme into $TOOLS_VENV"
    "${PYTHON:-python3}" -m venv "$TOOLS_VENV"
    # a checkout without git metadata has no version for hatch-vcs to read
    SETUPTOOLS_SCM_PRETEND_VERSION=0.0.0 "$TOOLS_VENV/bin/pip" install --quiet \
        pypandoc_binary "$MAINTAINER_TOOLS"
fi
"$TOOLS_VENV/bin/oca-gen-addon-readme" --org-name customer-value-crm \
    --repo-name crm-customer-value --branch 18.0 --no-gen-html \
    $(for addon in ${ADDONS//,/ }; do echo "--addon-dir $REPO/$addon"; done)
