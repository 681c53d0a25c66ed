from odoo import api, models


class CrmValueEngine(models.AbstractModel):
    _inherit = "crm.value.engine"

    @api.model
    def _queue_company_recompute(self, company):
        """Every customer's lifecycle is evaluated too, now (and again once the
        value run has refreshed them, see _on_customers_refreshed)."""
        result = super()._queue_company_recompute(company)
        engine = self.env["crm.lifecycle.engine"]
        self.env["crm.lifecycle.queue"]._mark(
            (pid, company.id) for pid in engine._get_all_customers(company)
        )
        return result

    @api.model
    def _on_customers_refreshed(self, company, partner_ids):
        """The scheduled recompute (after invoices, payments, deliveries) queues
        the customers it recomputed for a lifecycle evaluation, once their
        scores and tiers are stored."""
        result = super()._on_customers_refreshed(company, partner_ids)
        # Else today's full evaluation, still to come, queues everyone.
        if company.lifecycle_last_full_evaluation == company._get_value_today():
            # New value figures may move the customers' lifecycle stage.
            self.env["crm.lifecycle.queue"]._mark(
                (pid, company.id) for pid in partner_ids
            )
        return result
