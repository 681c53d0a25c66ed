from odoo import api, models

# Lead fields whose change can move the customer's lifecycle stage.
LIFECYCLE_FIELDS = {"partner_id", "type", "stage_id", "active", "probability"}


class CrmLead(models.Model):
    _inherit = "crm.lead"

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
