import json

from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_value.tests.common import load_migration

STALE = load_migration("crm_care", "18.0.1.3.0", "end-migrate.py")


@tagged("post_install", "-at_install")
class TestPlanTranslationsMigration(TransactionCase):
    """Upgrading keeps a renamed shipped plan's own name in every language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")

    def _set_name(self, plan, names):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE mail_activity_plan SET name = %s::jsonb WHERE id = %s",
            (json.dumps(names), plan.id),
        )
        plan.invalidate_recordset(["name"])

    def test_a_renamed_plan_forgets_the_shipped_chinese_of_its_old_name(self):
        welcome = self.env.ref("crm_care.plan_welcome")
        birthday = self.env.ref("crm_care.plan_birthday")
        english = birthday.with_context(lang="en_US").name
        shipped_zh = dict(
            (name, zh)
            for _t, _c, name, _en, lang, zh in STALE.shipped_translations()
            if lang == "zh_CN"
        )
        # As the update left them: the company's English, the shipped Chinese.
        self._set_name(
            welcome,
            {"en_US": "Welcome visit by our rep", "zh_CN": shipped_zh["plan_welcome"]},
        )
        self._set_name(
            birthday, {"en_US": english, "zh_CN": shipped_zh["plan_birthday"]}
        )
        STALE.forget_stale_translations(self.env.cr)
        self.assertEqual(
            welcome.with_context(lang="zh_CN").name, "Welcome visit by our rep"
        )
        self.assertEqual(
            birthday.with_context(lang="zh_CN").name, shipped_zh["plan_birthday"]
        )

    def test_a_translation_somebody_wrote_stays(self):
        welcome = self.env.ref("crm_care.plan_welcome")
        self._set_name(
            welcome, {"en_US": "Welcome visit by our rep", "zh_CN": "客户代表欢迎拜访"}
        )
        STALE.forget_stale_translations(self.env.cr)
        self.assertEqual(welcome.with_context(lang="zh_CN").name, "客户代表欢迎拜访")
