"""`pip install .` installs the addons as odoo.addons.<addon>, the way OCA wheels do."""

import ast
import os
import subprocess
import sys
import zipfile

import pytest
from conftest import ADDONS, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("*.whl")
    return path


def test_wheel_holds_each_addon_with_its_data_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for addon in ADDONS:
        prefix = f"odoo/addons/{addon}/"
        assert prefix + "__manifest__.py" in names
        assert prefix + "static/description/icon.png" in names
        assert prefix + "i18n/zh_CN.po" in names
        manifest = ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())
        for path in manifest["data"]:
            assert prefix + path in names


def test_wheel_keeps_odoo_namespaces_open(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "odoo/__init__.py" not in names
    assert "odoo/addons/__init__.py" not in names


def test_installed_wheel_imports_as_odoo_addons(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    odoo_src = os.path.dirname(os.path.dirname(__import__("odoo").__file__))
    code = (
        "import odoo.addons.crm_value as v, odoo.addons.crm_care as c;"
        "print(v.__file__); print(c.__file__)"
    )
    # Odoo's tree first, as when Odoo runs from source; the wheel's files second.
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([odoo_src, str(target)]))
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == [
        str(target / "odoo" / "addons" / addon / "__init__.py")
        for addon in ("crm_value", "crm_care")
    ]
