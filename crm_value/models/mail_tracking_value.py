from collections import defaultdict

from odoo import api, models


class MailTrackingValue(models.Model):
    _inherit = "mail.tracking.value"

    @api.model
    def _get_named_on_read_comodels(self):
        """Models whose records a tracked change names in the reader's language
        (a hook: each addon adds its own): the note of a tier move says
        "Gold -> Platinum" in the language of whoever reads it, not of whoever
        ran the recompute. Odoo stores the names as text when it tracks."""
        return {"crm.value.tier"}

    def _format_display_value(self, field_type, new=True):
        result = super()._format_display_value(field_type, new=new)
        if field_type != "many2one":
            return result
        comodels = self._get_named_on_read_comodels()
        ids_by_model = defaultdict(set)
        for tracking in self:
            model = tracking.field_id.relation
            record_id = (
                tracking.new_value_integer if new else tracking.old_value_integer
            )
            if model in comodels and record_id:
                ids_by_model[model].add(record_id)
        # The names only, of records whose change the reader may see (the
        # tracking values are filtered by field access before).
        names = {
            (model, record.id): record.display_name
            for model, ids in ids_by_model.items()
            for record in self.env[model].sudo().browse(ids).exists()
        }
        for index, tracking in enumerate(self):
            record_id = (
                tracking.new_value_integer if new else tracking.old_value_integer
            )
            name = names.get((tracking.field_id.relation, record_id))
            if name:
                result[index] = name
        return result
