import json

from odoo.tests import HttpCase, tagged

from ..models.crm_care_complaint_stage import OPEN_STATES

EXPECTED_KEY = "crm_value_dashboard_tour_expected"


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase):
    """In a real browser, as a manager: the dashboard's tiles show what the
    database holds, and a tile opens the list of the customers it counts."""

    def _expected(self, company):
        """The tiles' figures, read here from the database with the domains
        the list views use (not through the dashboard's code)."""
        env = self.env(context={"allowed_company_ids": [company.id]})
        Snapshot = env["crm.value.snapshot"]
        current = [("company_id", "=", company.id), ("is_current", "=", True)]
        tiers = env["crm.value.tier"]._get_company_tiers(company)
        tier_counts = {
            tier.code: Snapshot.search_count([*current, ("tier_id", "=", tier.id)])
            for tier in tiers
        }
        quadrants = {
            key: Snapshot.search_count([*current, ("quadrant", "=", key)])
            for key in ("strategic", "maintain", "develop", "low")
        }
        at_risk = Snapshot.search_count(
            [*current, ("partner_id.lifecycle_stage_id.is_at_risk", "=", True)]
        )
        Complaint = env["crm.care.complaint"]
        open_domain = [("company_id", "=", company.id), ("state", "in", OPEN_STATES)]
        coverage = {
            tier.code: env["crm.care.coverage.report"].search_count(
                [("company_id", "=", company.id), ("tier_id", "=", tier.id)]
            )
            for tier in tiers
            if tier.code in ("platinum", "gold")
        }
        click_tier = max(tier_counts, key=tier_counts.get)
        return {
            "company": company.name,
            "tiers": tier_counts,
            "quadrants": quadrants,
            "at_risk": at_risk,
            "complaints_open": Complaint.search_count(open_domain),
            "complaints_late": Complaint.search_count(
                [*open_domain, ("sla_status", "=", "late")]
            ),
            "coverage": coverage,
            "click_tier": click_tier,
            # The headline figures count the same customers per tier.
            "headline_tiers": {tier.id: tier_counts[tier.code] for tier in tiers},
            "period_months": 12,
        }

    def test_dashboard_tiles_match_the_database_and_open_their_lists(self):
        admin = self.env.ref("base.user_admin")
        company = admin.company_id
        # A customer of our own with figures, whatever the demo data holds.
        customer = self.env["res.partner"].create(
            {"name": "Tour Teahouse", "is_company": True}
        )
        self.env["crm.value.engine"]._recompute_partners(company, customer.ids)
        self.env["crm.value.scoring"]._refresh_company(company)
        expected = self._expected(company)
        self.assertGreater(
            expected["tiers"][expected["click_tier"]], 0, "a tier to click through"
        )
        self.assertLessEqual(
            expected["tiers"][expected["click_tier"]], 80, "one page of the list"
        )
        url = "/odoo/customer-value-dashboard"
        options = {"stepDelay": 0, "keepWatchBrowser": False, "startUrl": url}
        self.start_tour(
            url,
            "crm_value_dashboard",
            login="admin",
            code=(
                f"sessionStorage.setItem({EXPECTED_KEY!r}, {json.dumps(json.dumps(expected))});"
                f"odoo.startTour('crm_value_dashboard', {json.dumps(options)})"
            ),
        )
