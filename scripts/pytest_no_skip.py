"""pytest plugin of scripts/test.sh: a run that skipped a test fails.

Odoo skips a browser test (HttpCase.start_tour, browser_js) instead of failing
it when it finds no Chrome or Chromium, no websocket-client package, or cannot
connect to the browser: a green run would then have tested no screen. This
plugin lists every skipped test with its reason and turns the exit status into
a failure. Load it with `-p pytest_no_skip` (scripts/ on PYTHONPATH).
"""

import pytest


class NoSkip:
    def __init__(self):
        self.skipped = []

    def pytest_runtest_logreport(self, report):
        if report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
            self.skipped.append((report.nodeid, reason))

    def pytest_sessionfinish(self, session, exitstatus):
        if self.skipped and exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter):
        if not self.skipped:
            return
        terminalreporter.section("skipped tests fail this run", red=True)
        for nodeid, reason in self.skipped:
            terminalreporter.line(f"SKIPPED {nodeid}: {reason}", red=True)
        terminalreporter.line(
            f"{len(self.skipped)} test(s) skipped, and every test must run. Odoo "
            "skips a browser test when it finds no Chrome/Chromium or no "
            "websocket-client: scripts/test.sh installs both (ensure_browser, "
            "requirements.txt).",
            red=True,
        )


def pytest_configure(config):
    config.pluginmanager.register(NoSkip(), "no_skip_checker")
