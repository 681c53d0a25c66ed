"""Run Odoo's own tests of some modules on a database's fully loaded registry.

Odoo runs a module's at_install tests right after loading that module, before
any addon depending on it is loaded (odoo/modules/loading.py), so
``-u sale_stock --test-enable`` never exercises our overrides. Here the
registry is loaded whole first, then the modules' tests (at_install and
post_install alike) run in it, and each test's outcome is written, one a line:
``<outcome> <test id>`` with outcome pass, fail, error or skip.

    python scripts/odoo_tests_runner.py --modules account,sale --out results.txt \
        [--tags /account:TestAccountPaymentRegister] -- -c odoo.conf -d DATABASE

--tags takes Odoo's --test-tags syntax (odoo/tests/tag_selector.py).
"""

import argparse
import sys
import threading

import odoo

# Odoo's options (after --) are read first: its test framework is imported
# in test mode only.
config = odoo.tools.config
config.parse_config(sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else [])
config["test_enable"] = True

from odoo.tests import loader  # noqa: E402
from odoo.tests.result import OdooTestResult  # noqa: E402


class RecordingResult(OdooTestResult):
    """Odoo's result (it logs as usual) that also keeps each test's outcome."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = {}

    def _record(self, test, outcome):
        test_id = test.id()
        # A failing subtest fails its test; an error in setUpClass fails them all.
        if self.outcomes.get(test_id) not in ("fail", "error"):
            self.outcomes[test_id] = outcome

    def addSuccess(self, test):
        super().addSuccess(test)
        self._record(test, "pass")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(getattr(test, "test_case", test), "fail")

    def addError(self, test, err):
        super().addError(test, err)
        self._record(getattr(test, "test_case", test), "error")

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._record(test, "skip")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", required=True, help="comma-separated modules")
    parser.add_argument("--out", required=True, help="file of per-test outcomes")
    parser.add_argument("--tags", default="", help="Odoo --test-tags selection")
    if "--" not in sys.argv:
        parser.error("give Odoo's options after --, e.g. -- -c odoo.conf -d DATABASE")
    args = parser.parse_args(sys.argv[1 : sys.argv.index("--")])
    dbname = config["db_name"]
    if not dbname or "," in dbname:
        parser.error("give one database with -d")
    odoo.service.server.load_server_wide_modules()
    threading.current_thread().dbname = dbname
    # HttpCase tests talk to a server of this process, as odoo-bin's tests do.
    server = odoo.service.server.ThreadedServer(odoo.http.root)
    server.http_spawn()
    odoo.service.server.server = server
    # Loaded in test mode, Odoo would run each module's at_install tests as it
    # loads it, on a registry without the modules that depend on it.
    config["test_enable"] = False
    registry = odoo.modules.registry.Registry.new(dbname)
    config["test_enable"] = True
    config["test_tags"] = args.tags or "+standard"
    installed = set(registry._init_modules)
    result = RecordingResult()
    for module in args.modules.split(","):
        if module not in installed:
            sys.exit(f"module {module} is not installed in {dbname}")
        for position in ("at_install", "post_install"):
            suite = loader.make_suite([module], position)
            if not suite.countTestCases():
                continue
            odoo.modules.module.current_test = True
            threading.current_thread().testing = True
            try:
                suite(result)
            finally:
                threading.current_thread().testing = False
                odoo.modules.module.current_test = False
    with open(args.out, "w", encoding="utf-8") as out:
        for test_id, outcome in sorted(result.outcomes.items()):
            out.write(f"{outcome} {test_id}\n")
    print(f"{dbname}: {result}", file=sys.stderr)
    server.httpd.shutdown()


if __name__ == "__main__":
    main()
