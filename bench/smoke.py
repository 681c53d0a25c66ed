"""CI smoke test of the value recompute: a generated company of 1,000
customers, the nightly recompute, and the engine's figures compared with the
floor's for every customer. Exits 1 when any customer differs.

    .venv/bin/python bench/smoke.py -d crm_value_smoke [--template bench_tpl]

Without --template the database is installed first (addons, no demo). It is
dropped and generated again on every run. No timing is checked: speed is
measured by run.py, not in CI.
"""

import argparse
import shutil
import subprocess
import sys
import time

try:
    from . import generate, odoo_env
    from .run import measure_floor, reset
except ImportError:  # run as a script
    import generate
    import odoo_env
    from run import measure_floor, reset


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    odoo_env.add_common_arguments(parser)
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--template", help="copy this database instead of installing")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    odoo = odoo_env.setup(args.config)
    subprocess.run(["dropdb", "--if-exists", args.database], check=True)
    shutil.rmtree(odoo.tools.config.filestore(args.database), ignore_errors=True)
    options = ["--config", args.config, "--database", args.database]
    options += ["--customers", str(args.customers)]
    if args.template:
        options += ["--template", args.template]
    generate.main(options)
    started = time.monotonic()
    with odoo_env.environment(args.database, commit=True) as env:
        reset(env, first_night=True)
    with odoo_env.environment(args.database, commit=True) as env:
        env["crm.value.engine"]._cron_recompute_value()
    seconds = time.monotonic() - started
    floor = measure_floor(args.database)
    sys.stdout.write(
        f"smoke: {args.customers} customers generated, value recomputed in "
        f"{seconds:.1f} s; floor check: {floor['rows']} customers, "
        f"{floor['mismatched_customers']} differ "
        f"(largest difference {max(floor['max_difference'].values()):.2g})\n"
    )
    if not floor["rows"] or floor["mismatched_customers"]:
        sys.stdout.write(
            "smoke: FAILED: the engine's figures differ from the floor's "
            f"{floor['max_difference']}\n"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
