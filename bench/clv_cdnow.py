"""CDNOW check of the CLV models: our estimates next to the published ones, and
a hold-out forecast of repeat purchases.

Fits BG/NBD and Gamma-Gamma on weeks 1-39 of the CDNOW sample (2357 customers
whose first purchase was in Q1 1997), forecasts each customer's repeat
purchases in weeks 40-78 and compares them with what they bought, in total and
by number of repeat purchases in the calibration weeks (as in Fader, Hardie &
Lee 2005, figure 4).

The data ships in the lifetimes 0.11.3 wheel (`pip install --no-deps
lifetimes==0.11.3`); it is found without importing lifetimes.

    python bench/clv_cdnow.py [--json PATH]
"""

import argparse
import datetime
import importlib
import importlib.util
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
START = datetime.date(1997, 1, 1)
CALIBRATION_END = datetime.date(1997, 9, 30)  # T = 38.86 weeks for a 1 Jan buyer
HOLDOUT_END = datetime.date(1998, 6, 30)
HOLDOUT_WEEKS = 39.0
BUCKETS = 8  # 0, 1, ..., 6, 7+ repeat purchases in the calibration weeks
PUBLISHED = {
    "bgnbd": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "ll": -9582.4},
    "gamma_gamma": {"p": 6.25, "q": 3.74, "gamma": 15.44},
}


def load_analytics():
    """crm_value/analytics by path: crm_value/__init__.py imports Odoo."""
    folder = ROOT / "crm_value" / "analytics"
    spec = importlib.util.spec_from_file_location(
        "crm_value_analytics",
        folder / "__init__.py",
        submodule_search_locations=[str(folder)],
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = package
    spec.loader.exec_module(package)
    return package


def cdnow_sample_path():
    spec = importlib.util.find_spec("lifetimes")
    if spec is None:
        sys.exit("CDNOW data missing: pip install --no-deps lifetimes==0.11.3")
    return Path(spec.submodule_search_locations[0]) / "datasets" / "CDNOW_sample.txt"


def purchase_days(path):
    """(customer, day, amount) with one row per customer and day: purchases on
    the same day count as one transaction, as in the published analyses."""
    raw = np.loadtxt(path)
    customer = raw[:, 1].astype(np.int64)
    day = np.array([_day_number(int(value)) for value in raw[:, 2]])
    keys, inverse = np.unique(
        np.column_stack([customer, day]), axis=0, return_inverse=True
    )
    amount = np.bincount(inverse.ravel(), weights=raw[:, 4])
    return keys[:, 0], keys[:, 1], amount


def _day_number(yyyymmdd):
    date = datetime.date(yyyymmdd // 10000, yyyymmdd // 100 % 100, yyyymmdd % 100)
    return (date - START).days


def summarise(customer, day, amount):
    """Per customer, in weeks: frequency, recency, T (calibration), the average
    value of the calibration repeat purchases, and hold-out repeat purchases."""
    ids, index = np.unique(customer, return_inverse=True)
    end = (CALIBRATION_END - START).days
    first = np.full(len(ids), np.iinfo(np.int64).max)
    np.minimum.at(first, index, day)
    calibration = day <= end
    repeat = calibration & (day > first[index])
    frequency = np.bincount(index[repeat], minlength=len(ids))
    last = first.copy()
    np.maximum.at(last, index[calibration], day[calibration])
    spend = np.bincount(index[repeat], weights=amount[repeat], minlength=len(ids))
    return {
        "frequency": frequency.astype(float),
        "recency": (last - first) / 7.0,
        "T": (end - first) / 7.0,
        "monetary_value": np.divide(spend, np.maximum(frequency, 1)),
        "holdout": np.bincount(index[day > end], minlength=len(ids)).astype(float),
    }


def fit_models(analytics, data):
    # Resolved before the clock starts: the first access imports scipy.
    fit_bgnbd, fit_gamma_gamma = analytics.fit_bgnbd, analytics.fit_gamma_gamma
    started = time.perf_counter()
    bg = fit_bgnbd(data["frequency"], data["recency"], data["T"])
    gg = fit_gamma_gamma(data["frequency"], data["monetary_value"])
    return bg, gg, time.perf_counter() - started


def holdout_table(bg, data):
    """Actual and expected hold-out repeat purchases by calibration frequency."""
    history = (data["frequency"], data["recency"], data["T"])
    expected = bg.expected_purchases(HOLDOUT_WEEKS, *history)
    bucket = np.minimum(data["frequency"], BUCKETS - 1).astype(int)
    customers = np.bincount(bucket, minlength=BUCKETS)
    rows = []
    for x in range(BUCKETS):
        chosen = bucket == x
        rows.append(
            {
                "frequency": f"{x}+" if x == BUCKETS - 1 else str(x),
                "customers": int(customers[x]),
                "actual_mean": float(data["holdout"][chosen].mean()),
                "expected_mean": float(expected[chosen].mean()),
            }
        )
    totals = {
        "actual": float(data["holdout"].sum()),
        "expected": float(expected.sum()),
    }
    return rows, totals


def build_report(bg, gg, seconds, rows, totals):
    return {
        "customers": sum(row["customers"] for row in rows),
        "fit_seconds": round(seconds, 3),
        "bgnbd": {**bg.params, "ll": bg.log_likelihood},
        "gamma_gamma": dict(gg.params),
        "published": PUBLISHED,
        "holdout_by_frequency": rows,
        "holdout_total": totals,
    }


def format_report(report):
    lines = [
        f"CDNOW sample: {report['customers']} customers, "
        f"both fits in {report['fit_seconds']:.2f} s",
        "",
    ]
    for model in ("bgnbd", "gamma_gamma"):
        lines.append(f"{model:<12} {'ours':>12} {'published':>12}")
        for name, published in PUBLISHED[model].items():
            lines.append(f"  {name:<10} {report[model][name]:>12.4f} {published:>12}")
        lines.append("")
    lines.append("Repeat purchases in weeks 40-78, mean per customer")
    lines.append(f"{'x (wk 1-39)':<12} {'customers':>9} {'actual':>8} {'expected':>9}")
    for row in report["holdout_by_frequency"]:
        lines.append(
            f"{row['frequency']:<12} {row['customers']:>9} "
            f"{row['actual_mean']:>8.3f} {row['expected_mean']:>9.3f}"
        )
    totals = report["holdout_total"]
    lines.append(
        f"{'total':<12} {'':>9} {totals['actual']:>8.0f} {totals['expected']:>9.0f}"
    )
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    analytics = load_analytics()
    data = summarise(*purchase_days(cdnow_sample_path()))
    bg, gg, seconds = fit_models(analytics, data)
    report = build_report(bg, gg, seconds, *holdout_table(bg, data))
    sys.stdout.write(format_report(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
