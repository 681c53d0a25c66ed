"""Every addon ships a manifest a consultant and the OCA tooling can rely on."""

import ast

import polib
import pytest
from conftest import ADDONS, ROOT


def manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_declares_version_licence_and_summary(addon):
    data = manifest(addon)
    assert data["version"].startswith("18.0.")
    assert len(data["version"].split(".")) == 5
    assert data["license"] == "LGPL-3"
    assert data["summary"].strip()
    assert data["installable"] is True


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_lists_only_files_that_exist(addon):
    data = manifest(addon)
    for path in data.get("data", []) + data.get("demo", []):
        assert (ROOT / addon / path).is_file(), (
            f"{addon}: {path} is in the manifest but missing"
        )


def test_dependency_chain():
    assert "crm_value" in manifest("crm_lifecycle")["depends"]
    assert "crm_lifecycle" in manifest("crm_care")["depends"]


@pytest.mark.parametrize("addon", ADDONS)
def test_external_dependencies_are_installable_packages(addon):
    for package in manifest(addon).get("external_dependencies", {}).get("python", []):
        __import__(package)


@pytest.mark.parametrize("addon", ADDONS)
def test_chinese_translation_covers_every_string(addon):
    template = polib.pofile(str(ROOT / addon / "i18n" / f"{addon}.pot"))
    chinese = polib.pofile(str(ROOT / addon / "i18n" / "zh_CN.po"))
    translated = {
        entry.msgid: entry.msgstr for entry in chinese if entry.msgstr.strip()
    }
    missing = [entry.msgid for entry in template if entry.msgid not in translated]
    assert not missing, f"{addon}: no zh_CN translation for {missing}"
