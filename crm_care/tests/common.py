from odoo import fields
from odoo.tests import new_test_user

from odoo.addons.crm_value.tests.common import CrmValueCommon


class CrmCareCommon(CrmValueCommon):
    """A customer looked after by a dedicated representative."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.rep = new_test_user(
            cls.env,
            login="care_rep",
            groups="crm_value.group_crm_value_user",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        cls.customer = cls._customer(
            "Lotus Tea Garden", email="lotus@example.com", care_user_id=cls.rep.id
        )
