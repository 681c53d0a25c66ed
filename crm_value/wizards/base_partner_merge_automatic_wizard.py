from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_values(self, src_partners, dst_partner):
        """Merging contacts moves the sources' orders and invoices to the
        destination: the next recompute gives it its figures and tier.
        (Base's merge reads and writes every field of the contacts, the
        manager-only tier lock and pricelist pin included: merging customers
        takes a Customer Value manager, as it changes their ranking.)"""
        result = super()._update_values(src_partners, dst_partner)
        self.env["crm.value.queue"]._mark(
            [(dst_partner.commercial_partner_id.id, self.env.company.id)]
        )
        return result
