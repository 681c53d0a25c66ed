"""Top-level tests: plain pytest on the repository as a whole (packaging,
manifests, translations) and on the pure-Python analytics.

Odoo test cases belong in an addon's tests/ folder: outside an addon, Odoo's
MetaCase gives a class no `test_tags`, and pytest-odoo then fails with an
AttributeError. This hook turns that into a clear message instead.
"""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("crm_value", "crm_lifecycle", "crm_care", "crm_value_mass_mailing")


def pytest_collection_modifyitems(config, items):
    from odoo.tests.common import BaseCase

    here = Path(__file__).resolve().parent
    for item in items:
        cls = getattr(item, "cls", None)
        if cls and issubclass(cls, BaseCase) and here in Path(item.fspath).parents:
            raise pytest.UsageError(
                f"{item.nodeid}: Odoo test cases go in an addon's tests/ folder, "
                "not in the top-level tests/"
            )


@pytest.fixture(scope="session")
def repo_root():
    return ROOT
