"""Customer-value analytics in plain Python (numpy and scipy, no Odoo import).

- `rfm`: RFM quintile scores (the R x F segments are data);
- `bgnbd`: BG/NBD purchase counts and P(alive);
- `gamma_gamma`: Gamma-Gamma spend per transaction;
- `clv`: historical and predicted customer lifetime value (`forecast`: the
  company's BG/NBD and Gamma-Gamma fits and what they predict);
- `pyramid`: customer-pyramid tiers from net profit.

The public functions are re-exported lazily, so importing this package (or
`pyramid`) does not import numpy or scipy until a model is used.
"""

import importlib

_EXPORTS = {
    "rfm_scores": "rfm",
    "fit_bgnbd": "bgnbd",
    "BetaGeoModel": "bgnbd",
    "fit_gamma_gamma": "gamma_gamma",
    "GammaGammaModel": "gamma_gamma",
    "historical_value": "clv",
    "forecast": "clv",
}

__all__ = list(_EXPORTS)


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
    return getattr(module, name)
