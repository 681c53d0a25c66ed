from odoo import api, models


class IrModelData(models.Model):
    _inherit = "ir.model.data"

    @api.model
    def _process_end(self, modules):
        """Once every module has loaded (installed or updated), check the tier
        sets as a whole: a data file of any module that archives, removes or
        edits tiers into a set with a gap fails the load with the reason."""
        result = super()._process_end(modules)
        self.env["crm.value.tier"]._check_all_rules()
        return result
