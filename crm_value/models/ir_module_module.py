from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _update_translations(self, filter_lang=None, overwrite=False):
        """While modules load, the loader calls this once per module installed
        or updated, after its data and before committing it
        (odoo/modules/loading.py): the module's tiers are checked as a whole
        there, so a module whose data breaks the tier set fails to load and
        leaves the set as it was. ir.model.data._process_end checks again
        once the loader has removed the records modules no longer define."""
        result = super()._update_translations(filter_lang, overwrite)
        if not self.env.registry.ready:
            self.env["crm.value.tier"]._check_all_rules()
        return result
