from collections import defaultdict

from odoo import api, fields, models

# Lead fields whose change can move the customer's lifecycle stage.
LIFECYCLE_FIELDS = {"partner_id", "type", "stage_id", "active", "probability"}


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # Odoo's own `referred` (Referred By) is free text, kept for what is no
    # customer (a campaign, a name); this one names the customer, and
    # becomes the converted customer's referrer (res.partner.value_referred_by_id).
    referred_by_id = fields.Many2one(
        "res.partner",
        string="Referred by Customer",
        domain=["|", ("is_company", "=", True), ("parent_id", "=", False)],
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
        help="The customer who referred this lead: when the lead is converted, "
        "they become the customer's referrer, unless the customer already has one.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._queue_lifecycle()
        return leads

    def write(self, vals):
        moved = LIFECYCLE_FIELDS.intersection(vals)
        if moved and "partner_id" in vals:
            self._queue_lifecycle()  # the customer the lead leaves
        result = super().write(vals)
        if moved:
            self._queue_lifecycle()
        return result

    def _handle_partner_assignment(self, force_partner_id=False, create_missing=True):
        result = super()._handle_partner_assignment(
            force_partner_id=force_partner_id, create_missing=create_missing
        )
        self._give_referrer_to_customers()
        return result

    def _give_referrer_to_customers(self):
        """The leads' referrer becomes their customer's, where the customer has
        none (and is not the referrer itself): one write per referrer."""
        customers_by_referrer = defaultdict(lambda: self.env["res.partner"])
        for lead in self.filtered(lambda lead: lead.referred_by_id and lead.partner_id):
            customer = lead.partner_id.commercial_partner_id
            referrer = lead.referred_by_id
            if (
                not customer.value_referred_by_id
                and referrer.commercial_partner_id != customer
            ):
                customers_by_referrer[referrer] |= customer
        for referrer, customers in customers_by_referrer.items():
            customers.write({"value_referred_by_id": referrer.id})

    def _merge_get_fields(self):
        return [*super()._merge_get_fields(), "referred_by_id"]

    def _queue_lifecycle(self):
        """Queue the leads' customers for a lifecycle evaluation, soon."""
        self.env["crm.lifecycle.queue"]._mark(
            (
                lead.partner_id.commercial_partner_id.id,
                (lead.company_id or self.env.company).id,
            )
            for lead in self
            if lead.partner_id
        )
