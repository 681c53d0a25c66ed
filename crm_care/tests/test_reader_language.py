from datetime import datetime

from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_care.care_event import CareEvent

from .common import CrmCareCommon


@tagged("post_install", "-at_install")
class TestCareReaderLanguage(CrmCareCommon):
    """Care activities are for one person: written in their language (and
    time zone), whoever runs the scheduler; the shipped plans are translated."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search(
            [("name", "=", "crm_care")]
        )._update_translations("zh_CN")
        cls.rep_zh = new_test_user(
            cls.env,
            login="care_rep_zh",
            groups="crm_value.group_crm_value_user",
            lang="zh_CN",
            tz="Asia/Shanghai",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        cls.customer._increase_rank("customer_rank")
        cls.Plan = cls.env["mail.activity.plan"]
        cls.Plan.search([("care_trigger", "!=", False)]).active = False

    def _activities(self, customer, user):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", customer.id),
                ("user_id", "=", user.id),
            ]
        )

    def test_plan_steps_are_in_the_assigned_users_language(self):
        plan = self.env.ref("crm_care.plan_after_sale_call")
        plan.active = True
        step = self.env.ref("crm_care.plan_after_sale_call_step")
        step.update_field_translations(
            "summary", {"zh_CN": "电话回访：交付是否满足需求？"}
        )
        step.with_context(lang="en_US").note = "<p>Ask how the delivery went.</p>"
        step.update_field_translations(
            "note", {"zh_CN": {"Ask how the delivery went.": "询问交付情况。"}}
        )
        plan.update_field_translations("name", {"zh_CN": "售后回访"})
        self.assertEqual(plan.with_context(lang="zh_CN").name, "售后回访")
        chinese_customer = self._customer(
            "Jade Garden", email="jade@example.com", care_user_id=self.rep_zh.id
        )
        today = self.company._get_value_today()
        # The scheduler runs in English.
        plan.with_context(lang="en_US")._care_launch(
            [
                CareEvent(chinese_customer, date=today, occasion=("delivery", 1)),
                CareEvent(self.customer, date=today, occasion=("delivery", 2)),
            ]
        )
        chinese = self._activities(chinese_customer, self.rep_zh)
        self.assertEqual(chinese.summary, "电话回访：交付是否满足需求？")
        self.assertIn("询问交付情况", chinese.note)
        english = self._activities(self.customer, self.rep)
        self.assertEqual(english.summary, "Call: did the delivery meet the need?")
        self.assertIn("Ask how the delivery went", english.note)

    def test_shipped_plans_and_steps_are_translated_to_chinese(self):
        plans = self.Plan.with_context(active_test=False).search(
            [("care_trigger", "!=", False)]
        )
        shipped = plans.filtered(lambda plan: plan.get_external_id()[plan.id])
        self.assertGreaterEqual(len(shipped), 10)
        for plan in shipped:
            for record, name in (
                (plan, "name"),
                *((step, "summary") for step in plan.template_ids),
            ):
                with self.subTest(record=record.get_external_id()[record.id]):
                    english = record.with_context(lang="en_US")[name]
                    chinese = record.with_context(lang="zh_CN")[name]
                    self.assertTrue(chinese)
                    self.assertNotEqual(chinese, english)
        # Odoo turns the columns back into text when Customer Care is
        # uninstalled: it knows them as translated in the database.
        translated = self.env["ir.model.fields"].search(
            [
                ("model", "in", ("mail.activity.plan", "mail.activity.plan.template")),
                ("name", "in", ("name", "summary", "note")),
            ]
        )
        self.assertEqual(len(translated), 3)
        self.assertTrue(all(translated.mapped("translate")))

    def test_sla_escalation_is_in_the_escalation_users_language_and_time(self):
        self.env.ref("crm_care.sla_policy_urgent").escalation_user_id = self.rep_zh
        complaint = self.env["crm.care.complaint"].create(
            {
                "subject": "Broken teapots",
                "partner_id": self.customer.id,
                "priority": "3",
                "date_received": datetime(2026, 11, 20, 15, 0),
            }
        )
        complaint.stage_id = self.env.ref("crm_care.complaint_stage_in_progress")
        complaint._sla_refresh(now=datetime(2026, 11, 23, 12, 30))
        self.assertEqual(complaint.sla_status, "late")
        # The hourly check runs in English, in UTC.
        complaint.with_context(lang="en_US", tz="UTC")._sla_escalate()
        escalation = complaint.activity_ids.filtered(
            lambda activity: activity.user_id == self.rep_zh
        )
        deadline = fields.Datetime.context_timestamp(
            complaint.with_context(tz="Asia/Shanghai"), complaint.resolution_deadline
        )
        self.assertEqual(
            escalation.summary,
            f"SLA 已超时：请于 {deadline.strftime('%Y-%m-%d %H:%M')} 前解决",
        )
        self.assertEqual(escalation.date_deadline, deadline.date())

    def test_unhappy_answer_alert_is_in_the_representatives_language(self):
        self.customer.care_user_id = self.rep_zh
        survey = self.env.ref("crm_care.survey_nps")
        answer = survey.sudo()._create_answer(
            partner=self.customer, check_attempts=False
        )
        scale = survey.question_ids.filtered(lambda q: q.question_type == "scale")
        answer._save_lines(scale, "3")
        answer._mark_done()
        self.Plan.with_context(lang="en_US")._cron_care_scheduler()
        alert = self._activities(self.customer, self.rep_zh)
        self.assertEqual(alert.summary, "贬损者: NPS 3")
        self.assertIn("净推荐值", alert.note)
