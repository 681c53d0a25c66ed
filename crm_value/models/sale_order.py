from odoo import api, fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    # The mixin first: its check runs before sale's own create and write.
    _inherit = ["crm.value.engine.fields.mixin", "sale.order"]

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

    def _get_engine_fields(self):
        return super()._get_engine_fields() | {"value_tier_id"}

    def _get_engine_fields_refusal(self, fnames):
        return self.env._(
            "The customer tier of an order comes from its customer; only "
            "Customer Value managers can change it by hand."
        )

    # Not on the customer's tier: a tier change would recompute every order
    # the customer ever placed (see bench/README.md); res.partner.write
    # recomputes the quotations alone.
    @api.depends("partner_id", "company_id", "partner_id.commercial_partner_id")
    def _compute_value_tier_id(self):
        for order in self:
            if order.state not in ("draft", "sent"):
                continue  # confirmed: keep the tier of the day it was confirmed
            customer = order.partner_id.commercial_partner_id
            order.value_tier_id = customer.with_company(order.company_id).value_tier_id
