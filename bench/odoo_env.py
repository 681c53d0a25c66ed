"""Open an Odoo environment on a database from a plain script (no HTTP)."""

import contextlib
import subprocess
import sys
from pathlib import Path

ODOO_BIN = Path("/opt/odoo-src/odoo-bin")
ADDONS = "crm_value,crm_lifecycle,crm_care"
BASE_MODULES = "sale_management,sale_margin,sale_stock,stock_account,crm,survey"


def add_common_arguments(parser):
    parser.add_argument("--config", default=".run-bench/odoo.conf")
    parser.add_argument("--database", "-d", required=True)


def setup(config):
    """Load Odoo's configuration once per process."""
    import odoo

    odoo.tools.config.parse_config(["-c", config, "--log-level=warn"])
    return odoo


@contextlib.contextmanager
def environment(database, commit=False):
    """An env as superuser on `database`; committed only when asked."""
    import odoo
    from odoo.modules.registry import Registry

    registry = Registry(database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            yield env
        finally:
            if not commit:
                cr.rollback()


def database_exists(odoo, database):
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        return bool(cr.fetchone())


def create_database(config, database, modules, template=None):
    """A fresh database with `modules` and no demo data: copied from a
    template database when given (seconds), else installed (minutes)."""
    if template:
        # The template must have no open connection; its filestore goes along.
        import shutil

        import odoo

        subprocess.run(["createdb", "-T", template, database], check=True)
        source = Path(odoo.tools.config.filestore(template))
        if source.exists():
            shutil.copytree(source, odoo.tools.config.filestore(database))
        return
    sys.stdout.write(f"Installing {modules} into {database} (a few minutes)...\n")
    subprocess.run(
        [
            sys.executable,
            str(ODOO_BIN),
            "-c",
            config,
            "-d",
            database,
            "-i",
            modules,
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )
