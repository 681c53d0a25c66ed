"""The credit risk grade and expected bad debt (crm_value/analytics/credit_risk.py)."""

import pytest
from analytics_support import credit_risk as cr

POLICY = cr.RiskPolicy(
    bounds=(30, 90, 180),
    loss_rates=(1.0, 5.0, 20.0, 50.0, 80.0),
    overdue_days=(30, 90),
    days_late=(15, 45),
    credited_percent=(10.0, 25.0),
)


def test_expected_bad_debt_is_each_bucket_times_its_loss_rate():
    amounts = (1000.0, 200.0, 100.0, 400.0, 50.0)
    expected = 1000 * 0.01 + 200 * 0.05 + 100 * 0.20 + 400 * 0.50 + 50 * 0.80
    assert cr.expected_bad_debt(amounts, POLICY.loss_rates) == pytest.approx(expected)
    assert cr.expected_bad_debt((0, 0, 0, 0, 0), POLICY.loss_rates) == 0


def test_grade_is_the_worst_signal():
    assert cr.risk_grade(POLICY, None, 0, None) == "low"
    assert (
        cr.risk_grade(POLICY, 30, 15, 10.0) == "low"
    )  # thresholds themselves: not above
    assert cr.risk_grade(POLICY, 31, 0, 0) == "medium"
    assert cr.risk_grade(POLICY, 120, 0, 0) == "high"
    assert cr.risk_grade(POLICY, 0, 46, 0) == "high"
    assert cr.risk_grade(POLICY, 0, 16, 0) == "medium"
    assert cr.risk_grade(POLICY, 0, -20, 30.0) == "high"
    assert cr.risk_grade(POLICY, 40, 0, 26.0) == "high"


def test_policy_errors_name_what_is_wrong():
    assert cr.policy_errors(POLICY) == []
    assert cr.policy_errors(POLICY._replace(bounds=(30, 30, 180)))
    assert cr.policy_errors(POLICY._replace(bounds=(0, 90, 180)))
    assert cr.policy_errors(POLICY._replace(loss_rates=(1.0, 5.0, 20.0, 50.0, 120.0)))
    assert cr.policy_errors(POLICY._replace(days_late=(50, 45)))
    assert cr.policy_errors(POLICY._replace(credited_percent=(-1.0, 25.0)))
