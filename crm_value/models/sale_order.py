from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..groups import MANAGER


class SaleOrder(models.Model):
    _inherit = "sale.order"

    value_tier_id = fields.Many2one(
        "crm.value.tier",
        string="Customer Tier",
        compute="_compute_value_tier_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        groups="base.group_user",
        help="The customer's value tier: follows the customer while the order is "
        "a quotation, and keeps the tier it had when the order was confirmed.",
    )
    value_tier_color = fields.Integer(
        related="value_tier_id.color", groups="base.group_user"
    )

    def _check_value_tier_write(self, vals):
        """The order's tier follows its customer's and is kept at confirmation:
        only Customer Value managers set it by hand."""
        if "value_tier_id" not in vals or self.env.su:
            return
        if not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._(
                    "The customer tier of an order comes from its customer; only "
                    "Customer Value managers can change it by hand."
                )
            )

    @api.model
    def default_get(self, fields_list):
        # A list grouped by tier passes `default_value_tier_id`, a personal
        # ir.default may hold one: the customer's tier instead.
        if not (self.env.su or self.env.user.has_group(MANAGER)):
            fields_list = [fname for fname in fields_list if fname != "value_tier_id"]
        return super().default_get(fields_list)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_value_tier_write(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_value_tier_write(vals)
        return super().write(vals)

    # Not on the customer's tier: a tier change would recompute every order
    # the customer ever placed (358,000 orders, 37 s on a first night at
    # 100,000 customers); res.partner.write recomputes the quotations alone.
    @api.depends("partner_id", "company_id", "partner_id.commercial_partner_id")
    def _compute_value_tier_id(self):
        for order in self:
            if order.state not in ("draft", "sent"):
                continue  # confirmed: keep the tier of the day it was confirmed
            customer = order.partner_id.commercial_partner_id
            order.value_tier_id = customer.with_company(order.company_id).value_tier_id
