from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import CrmLifecycleCommon


@tagged("post_install", "-at_install")
class TestReaderLanguage(CrmLifecycleCommon):
    """What the engine writes is read in the reader's language: the move's
    facts are stored, the words written when read; a warning, meant for one
    user, is written in theirs, whoever runs the evaluation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search(
            [("name", "in", ("crm_value", "crm_lifecycle"))]
        )._update_translations("zh_CN")
        readers = "crm_value.group_crm_value_user,sales_team.group_sale_salesman"
        cls.reader_zh = new_test_user(
            cls.env, login="lc_reader_zh", groups=readers, lang="zh_CN"
        )
        cls.reader_en = new_test_user(
            cls.env, login="lc_reader_en", groups=readers, lang="en_US"
        )

    def _quiet_trader(self, name, user, last=-240):
        """Three orders 30 days apart, the last `last` days from today, and
        active 5 days after it: at risk once silent for more than 90 days,
        lost after 180."""
        customer = self._customer(name, user_id=user.id)
        for day in (last - 60, last - 30, last):
            self._order(customer, day)
        self._evaluate(customer, day=last + 5)
        self.assertEqual(customer.lifecycle_stage_id, self.stage_active)
        return customer

    @staticmethod
    def _as(record, user):
        """`record` read by `user`, as in their web client (their language)."""
        return record.with_user(user).with_context(lang=user.lang)

    def _warnings(self, customer):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", customer.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("crm_lifecycle.mail_activity_type_churn_warning").id,
                ),
            ]
        )

    def test_history_reason_is_written_in_each_readers_language(self):
        customer = self._quiet_trader("Quiet Tea Trader", self.salesman)
        # Evaluated by someone whose interface is Chinese.
        self.lifecycle = self.lifecycle.with_context(lang="zh_CN")
        self._evaluate(customer, day=-140)
        move = self._history(customer)[-1]
        self.assertEqual(move.stage_to_id, self.stage_at_risk)
        self.assertEqual(
            (move.reason_code, move.days_since_order, move.order_interval),
            ("rule", 100, 30.0),
        )
        self.assertEqual(move.last_order_date, self._day(-240))
        self.assertFalse(move.reason_note, "facts, no text, are stored")
        self.assertEqual(
            self._as(move, self.reader_en).reason,
            "No order for 100 days; usual interval 30 days",
        )
        self.assertEqual(
            self._as(move, self.reader_zh).reason, "100 天未下单; 平时间隔 30 天"
        )
        first = self._history(customer)[0]
        self.assertEqual(first.reason_code, "first_evaluation")
        self.assertEqual(
            self._as(first, self.reader_zh).reason, "首次评估：每个客户都从这里开始。"
        )

    def test_move_by_hand_and_recorded_text_reasons(self):
        customer = self._customer("Hand Moved Co", user_id=self.reader_en.id)
        customer.with_context(lang="zh_CN").lifecycle_stage_id = self.stage_target
        move = self._history(customer)[-1]
        self.assertEqual(move.reason_code, "manual")
        self.assertEqual(self._as(move, self.reader_en).reason, "Moved by hand")
        self.assertEqual(self._as(move, self.reader_zh).reason, "手工变动")
        # A reason recorded as text (before the facts were stored) is shown as
        # it was written, to everyone.
        legacy = self.env["crm.lifecycle.history"]._record_moves(
            self.company,
            {
                customer.id: [
                    (
                        self.stage_target,
                        self.stage_potential,
                        self.env["crm.lifecycle.rule"],
                        self.env["res.users"],
                        "130 天未下单",
                    )
                ]
            },
            fields.Datetime.now(),
        )
        self.assertEqual(self._as(legacy, self.reader_en).reason, "130 天未下单")
        self.assertEqual(legacy.reason_note, "130 天未下单")

    def test_churn_warning_is_in_the_warned_users_language(self):
        chinese_seller = new_test_user(
            self.env,
            login="lc_seller_zh",
            groups="sales_team.group_sale_salesman",
            lang="zh_CN",
        )
        theirs = self._quiet_trader("Jade Trader", chinese_seller)
        mine = self._quiet_trader("Oak Trader", self.salesman)
        # The scheduled evaluation runs in English.
        self._evaluate(theirs, mine, day=-140)
        self.assertEqual(self._warnings(theirs).summary, "100 天未下单; 平时间隔 30 天")
        self.assertEqual(
            self._warnings(mine).summary,
            "No order for 100 days; usual interval 30 days",
        )
        self.assertIn(
            self.stage_at_risk.with_context(lang="zh_CN").action_note,
            self._warnings(theirs).note,
        )

    def test_churn_warning_describes_the_day_it_is_raised(self):
        customer = self._quiet_trader("Faded Porcelain", self.salesman, last=-100)
        with freeze_time(self._moment(0)):
            # A replay of a day gone by records the move, and raises no
            # warning: it would describe the customer as they were then, due
            # in the past.
            self.lifecycle._evaluate_partners(
                self.company, customer.ids, today=self._day(-5)
            )
            self.assertEqual(customer.lifecycle_stage_id, self.stage_at_risk)
            self.assertEqual(self._history(customer)[-1].days_since_order, 95)
            self.assertFalse(self._warnings(customer))
            # Back to active by hand, then at risk again today: warned with
            # today's facts, due today.
            customer.sudo().lifecycle_stage_id = self.stage_active
            self.lifecycle._evaluate_partners(self.company, customer.ids)
            warning = self._warnings(customer)
            self.assertEqual(len(warning), 1)
            self.assertEqual(warning.date_deadline, self.today)
            self.assertEqual(
                warning.summary, "No order for 100 days; usual interval 30 days"
            )
            # At risk again while the warning is still open: no second one.
            customer.sudo().lifecycle_stage_id = self.stage_active
            self.lifecycle._evaluate_partners(self.company, customer.ids)
        self.assertEqual(self._history(customer)[-1].stage_to_id, self.stage_at_risk)
        self.assertEqual(self._warnings(customer), warning)

    def test_warning_on_the_company_day_late_in_the_utc_evening(self):
        """At 23:30 UTC the Brussels company is already in tomorrow: the
        warning is due on the company's day, its facts counted to it."""
        self.assertEqual(self.company._get_value_tz(), "Europe/Brussels")
        customer = self._quiet_trader("Late Evening Buyer", self.salesman, last=-100)
        tomorrow = self._day(1)
        with freeze_time(self._moment(1) + timedelta(minutes=30)):
            self.assertEqual(self.company._get_value_today(), tomorrow)
            self.lifecycle._evaluate_partners(self.company, customer.ids)
        warning = self._warnings(customer)
        self.assertEqual(warning.date_deadline, tomorrow)
        self.assertEqual(
            warning.summary, "No order for 101 days; usual interval 30 days"
        )
        self.assertEqual(self._history(customer)[-1].days_since_order, 101)

    def test_stage_move_note_names_the_stages_in_the_readers_language(self):
        customer = self._quiet_trader("Chatter Tea Co", self.salesman)
        # The chatter logs the move, as outside tests.
        self.lifecycle = self.lifecycle.with_context(
            tracking_disable=False, mail_notrack=False
        )
        self._evaluate(customer, day=-140)
        tracking = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "res.partner"),
                    ("mail_message_id.res_id", "=", customer.id),
                    ("field_id.name", "=", "lifecycle_stage_id"),
                ],
                order="id desc",
                limit=1,
            )
        )
        chinese = tracking.with_context(lang="zh_CN")._tracking_value_format()[0]
        english = tracking.with_context(lang="en_US")._tracking_value_format()[0]
        self.assertEqual(
            (chinese["oldValue"]["value"], chinese["newValue"]["value"]),
            ("活跃客户", "流失预警"),
        )
        self.assertEqual(
            (english["oldValue"]["value"], english["newValue"]["value"]),
            ("Active Customer", "At Risk"),
        )

    def test_broken_rule_is_reported_to_each_manager_in_their_language(self):
        managers = {
            lang: new_test_user(
                self.env,
                login=f"lc_manager_{lang}",
                groups="crm_value.group_crm_value_manager",
                lang=lang,
            )
            for lang in ("zh_CN", "en_US")
        }
        self.env.flush_all()
        # A rule no constraint checked (a restored backup): on a field gone.
        self.env.cr.execute(
            """
            INSERT INTO crm_lifecycle_rule (name, sequence, active, stage_to_id,
                   domain, recency_condition, recency_threshold, recency_days,
                   recency_interval_factor)
            VALUES ('{"en_US": "Gone"}', 1, TRUE, %s, '[(''x_gone'', ''='', 1)]',
                    'none', 'custom', 0, 0)
            RETURNING id
            """,
            [self.stage_lost.id],
        )
        rule = self.env["crm.lifecycle.rule"].browse(self.env.cr.fetchone()[0])
        customer = self._customer("Any Buyer")
        with mute_logger("odoo.addons.crm_lifecycle.models.crm_lifecycle_rule"):
            self._evaluate(customer)
        activities = self.env["mail.activity"].search(
            [("res_model", "=", rule._name), ("res_id", "=", rule.id)]
        )
        chinese = activities.filtered(lambda a: a.user_id == managers["zh_CN"])
        english = activities.filtered(lambda a: a.user_id == managers["en_US"])
        self.assertEqual(chinese.summary, "生命周期规则已跳过：请修正其条件")
        self.assertEqual(english.summary, "Lifecycle rule skipped: fix its condition")
        self.assertIn("Skipped in", english.note)
        self.assertNotIn("Skipped in", chinese.note)
