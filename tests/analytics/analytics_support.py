"""Shared helpers for the analytics tests (a plain module, not a conftest.py:
a second conftest.py would shadow tests/conftest.py for `from conftest import`).

`crm_value/analytics` is loaded by path as the package `crm_value_analytics`,
so the tests never run crm_value/__init__.py, which imports Odoo. The CDNOW
data comes from the lifetimes 0.11.3 wheel (`pip install --no-deps
lifetimes==0.11.3`), found without importing lifetimes.
"""

import importlib
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "crm_value_analytics"


def _load_package():
    if PACKAGE not in sys.modules:
        folder = ROOT / "crm_value" / "analytics"
        spec = importlib.util.spec_from_file_location(
            PACKAGE, folder / "__init__.py", submodule_search_locations=[str(folder)]
        )
        package = importlib.util.module_from_spec(spec)
        # Registered before running it, so its relative imports find it.
        sys.modules[PACKAGE] = package
        spec.loader.exec_module(package)
    return sys.modules[PACKAGE]


analytics = _load_package()
rfm = importlib.import_module(f"{PACKAGE}.rfm")
bgnbd = importlib.import_module(f"{PACKAGE}.bgnbd")
gamma_gamma = importlib.import_module(f"{PACKAGE}.gamma_gamma")
clv = importlib.import_module(f"{PACKAGE}.clv")
value_matrix = importlib.import_module(f"{PACKAGE}.value_matrix")
credit_risk = importlib.import_module(f"{PACKAGE}.credit_risk")
scorecard = importlib.import_module(f"{PACKAGE}.scorecard")


def cdnow_file(name):
    """Path of a file in lifetimes/datasets; fails clearly when it is missing."""
    spec = importlib.util.find_spec("lifetimes")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail(
            "the CDNOW data ships in the lifetimes wheel: "
            "pip install --no-deps lifetimes==0.11.3"
        )
    path = Path(spec.submodule_search_locations[0]) / "datasets" / name
    if not path.is_file():
        pytest.fail(f"{path} is missing: reinstall lifetimes==0.11.3")
    return path


def read_csv(name):
    """Columns of a lifetimes CSV as a dict of float arrays."""
    table = np.genfromtxt(cdnow_file(name), delimiter=",", names=True)
    return {column: table[column] for column in table.dtype.names}


def simulate_bgnbd(rng, size, r, alpha, a, b, T):
    """(frequency, recency, T) drawn from the BG/NBD model itself.

    Given rate lambda, N purchases fall in (0, T]; the customer drops out after
    the D-th repeat purchase, D ~ Geometric(p); x = min(N, D), and the x-th of
    N uniform arrival times is T * Beta(x, N - x + 1).
    """
    T = np.broadcast_to(np.asarray(T, dtype=float), (size,))
    rate = rng.gamma(r, 1 / alpha, size)
    dropout = rng.beta(a, b, size)
    arrivals = rng.poisson(rate * T)
    x = np.minimum(arrivals, rng.geometric(dropout))
    last = rng.beta(np.maximum(x, 1), arrivals - x + 1)
    return x.astype(float), np.where(x > 0, T * last, 0.0), T.copy()


def simulate_gamma_gamma(rng, frequency, p, q, gamma):
    """Average of `frequency` transaction values per customer, from the model."""
    nu = rng.gamma(q, 1 / gamma, len(frequency))
    return rng.gamma(p * frequency, 1 / nu) / frequency
