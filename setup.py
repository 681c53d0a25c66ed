"""Packages the addons the way OCA addon wheels do.

`pip install .` puts each addon at odoo/addons/<addon> in site-packages, so it
imports as odoo.addons.<addon>; `odoo` and `odoo.addons` stay namespace packages
(Odoo's own tree extends them), so this wheel never ships their __init__.py.
"""

import os

from setuptools import find_packages, setup

ADDONS = ("crm_value", "crm_lifecycle", "crm_care", "crm_value_mass_mailing")
HERE = os.path.dirname(os.path.abspath(__file__))


def addon_data_files(addon):
    """Every file of the addon that is not Python source: views, data, i18n, icons."""
    root = os.path.join(HERE, addon)
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            if not name.endswith((".py", ".pyc")):
                found.append(os.path.relpath(os.path.join(folder, name), root))
    return found


packages, package_dir, package_data = [], {}, {}
for addon in ADDONS:
    root_package = f"odoo.addons.{addon}"
    package_dir[root_package] = addon
    packages.append(root_package)
    packages += [f"{root_package}.{sub}" for sub in find_packages(addon)]
    package_data[root_package] = addon_data_files(addon)

setup(
    name="odoo-addons-crm-customer-value",
    version="18.0.1.0.0",
    description="Customer-value CRM for Odoo 18.0: profitability, tiers, "
    "lifecycle and customer care",
    long_description=open(os.path.join(HERE, "README.md"), encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="LGPL-3",
    python_requires=">=3.10",
    packages=packages,
    package_dir=package_dir,
    package_data=package_data,
    # Python packages the addons import (Odoo itself is not on PyPI).
    install_requires=["numpy", "scipy"],
    classifiers=[
        "Framework :: Odoo",
        "Framework :: Odoo :: 18.0",
        "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)",
        "Programming Language :: Python :: 3",
    ],
    zip_safe=False,
)
