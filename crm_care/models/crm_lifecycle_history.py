from odoo import models

from ..care_event import CareEvent


class CrmLifecycleHistory(models.Model):
    _inherit = "crm.lifecycle.history"

    def _on_stages_entered(self, company):
        result = super()._on_stages_entered(company)
        self._care_fire_stage_entered(company)
        return result

    def _care_fire_stage_entered(self, company):
        # Only the stage a customer ends in: stages passed through in the same
        # evaluation (a long-standing customer classified for the first time
        # goes reserve -> new -> active at once) were never really entered.
        self.env["mail.activity.plan"]._care_fire(
            "stage_entered",
            [
                CareEvent(move.partner_id, move, move.date.date(), company)
                for move in self.filtered(lambda move: not move.date_end)
            ],
        )
