from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import CrmCareCommon

CRONS = (
    "crm_value.ir_cron_recompute_value",
    "crm_lifecycle.ir_cron_evaluate_lifecycle",
    "crm_care.ir_cron_care_scheduler",
)


@tagged("post_install", "-at_install")
class TestCareSettings(CrmCareCommon):
    """Settings > Customer Value has a Customer Care section: the complaints
    alias, the default surveys, the care plans in use, and Recompute now."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="care_settings_manager",
            groups="base.group_system,crm_value.group_crm_value_manager",
        )
        cls.admin_only = new_test_user(
            cls.env, login="care_settings_admin", groups="base.group_system"
        )

    def _settings(self, user=None, **values):
        Settings = self.env["res.config.settings"]
        return (Settings.with_user(user) if user else Settings).create(values)

    def test_settings_have_a_customer_care_section(self):
        arch = etree.fromstring(
            self.env["res.config.settings"].get_views([(False, "form")])["views"][
                "form"
            ]["arch"]
        )
        [block] = arch.xpath("//app[@name='crm_value']//block[@name='crm_care']")
        names = set(block.xpath(".//field/@name"))
        self.assertLessEqual(
            {
                "care_complaint_alias_name",
                "care_csat_survey_id",
                "care_nps_survey_id",
                "care_ces_survey_id",
                "care_plan_ids",
            },
            names,
        )
        self.assertTrue(block.xpath(".//button[@name='action_value_recompute_now']"))

    def test_plan_switches_archive_and_restore_the_care_plans(self):
        win_back = self.env.ref("crm_care.plan_win_back")
        welcome = self.env.ref("crm_care.plan_welcome")
        win_back.active = welcome.active = True
        settings = self._settings()
        self.assertLessEqual(win_back | welcome, settings.care_plan_ids)
        settings.care_plan_ids -= win_back
        settings.execute()
        self.assertFalse(win_back.active, "unticked: archived, it starts no more")
        self.assertTrue(welcome.active)
        self.assertNotIn(
            win_back, self.env["mail.activity.plan"]._care_plans("stage_entered")
        )
        settings = self._settings()
        self.assertNotIn(win_back, settings.care_plan_ids)
        # Still offered, as the web client asks for the checkboxes: archived,
        # it can be ticked again.
        domain = safe_eval(settings._fields["care_plan_ids"].domain)
        offered = self.env["mail.activity.plan"].name_search("", domain, limit=None)
        self.assertIn(win_back.id, [plan_id for plan_id, _name in offered])
        settings.care_plan_ids |= win_back
        settings.execute()
        self.assertTrue(win_back.active)
        # A plan launched by hand is no care plan: no switch.
        by_hand = self.env["mail.activity.plan"].create(
            {"name": "Onboarding by hand", "res_model": "res.partner"}
        )
        self._settings().execute()
        self.assertTrue(by_hand.active)

    def test_complaints_alias_and_default_surveys(self):
        alias = self.env.ref("crm_care.mail_alias_complaints")
        settings = self._settings()
        self.assertEqual(settings.care_complaint_alias_name, alias.alias_name)
        self.assertEqual(
            settings.care_csat_survey_id, self.env.ref("crm_care.survey_csat")
        )
        self.assertEqual(
            settings.care_nps_survey_id, self.env.ref("crm_care.survey_nps")
        )
        self.assertEqual(
            settings.care_ces_survey_id, self.env.ref("crm_care.survey_ces")
        )
        other_csat = self.env.ref("crm_care.survey_csat").copy({"title": "Quick CSAT"})
        settings.write(
            {
                "care_complaint_alias_name": "care-desk",
                "care_csat_survey_id": other_csat.id,
            }
        )
        settings.execute()
        self.assertEqual(alias.alias_name, "care-desk")
        self.assertEqual(self.company.care_csat_survey_id, other_csat)
        # Send Survey proposes the company's default of the measure chosen.
        wizard = (
            self.env["crm.care.survey.wizard"]
            .with_context(active_model="res.partner", active_ids=self.customer.ids)
            .create({})
        )
        self.assertEqual(wizard.survey_id, other_csat)
        wizard.care_kind = "nps"
        self.assertEqual(wizard.survey_id, self.env.ref("crm_care.survey_nps"))

    def test_recompute_now_queues_the_company_for_every_engine(self):
        self._sell(self.customer, [(self.service, 1, 100.0)])
        self.env.flush_all()
        # Nothing queued yet (the queues are append-only for the ORM).
        self.env.cr.execute("DELETE FROM crm_value_queue")
        self.env.cr.execute("DELETE FROM crm_lifecycle_queue")
        Trigger = self.env["ir.cron.trigger"].sudo()
        crons = [self.env.ref(xmlid) for xmlid in CRONS]
        triggers_before = Trigger.search_count(
            [("cron_id", "in", [c.id for c in crons])]
        )
        action = self._settings(self.manager).action_value_recompute_now()
        self.assertEqual(action["tag"], "display_notification")
        for name in ("crm.value.queue", "crm.lifecycle.queue"):
            queued = self.env[name].search([("company_id", "=", self.company.id)])
            self.assertIn(self.customer, queued.partner_id, name)
        for cron in crons:
            self.assertTrue(
                Trigger.search_count([("cron_id", "=", cron.id)]), cron.name
            )
        self.assertGreaterEqual(
            Trigger.search_count([("cron_id", "in", [c.id for c in crons])]),
            triggers_before + len(crons),
        )

    def test_recompute_now_is_for_customer_value_managers_only(self):
        for user in (self.admin_only, self.rep):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["res.config.settings"].with_user(
                    user
                ).action_value_recompute_now()


@tagged("post_install", "-at_install")
class TestCareSettingsRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for login, groups in (
            ("care_rpc_admin", "base.group_system"),
            ("care_rpc_value_user", "crm_value.group_crm_value_user"),
        ):
            new_test_user(cls.env, login=login, groups=groups)

    @mute_logger("odoo.http")
    def test_recompute_now_over_rpc_needs_the_manager_group(self):
        queued = self.env["crm.value.queue"].search_count([])
        for login in ("care_rpc_admin", "care_rpc_value_user"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                with self.assertRaises(JsonRpcException) as caught:
                    self.make_jsonrpc_request(
                        "/web/dataset/call_kw/res.config.settings/"
                        "action_value_recompute_now",
                        {
                            "model": "res.config.settings",
                            "method": "action_value_recompute_now",
                            "args": [[]],
                            "kwargs": {},
                        },
                    )
                self.assertEqual(
                    caught.exception.args[0], "odoo.exceptions.AccessError"
                )
        self.assertEqual(
            self.env["crm.value.queue"].search_count([]), queued, "nothing queued"
        )
