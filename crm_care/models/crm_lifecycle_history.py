from odoo import models


class CrmLifecycleHistory(models.Model):
    _inherit = "crm.lifecycle.history"

    def _on_stages_entered(self, company):
        result = super()._on_stages_entered(company)
        self._care_fire_stage_entered()
        return result

    def _care_fire_stage_entered(self):
        # Only the stage a customer ends in: stages passed through in the same
        # evaluation (a long-standing customer classified for the first time
        # goes reserve -> new -> active at once) were never really entered.
        moves = self.filtered(lambda move: not move.date_end)
        Plan = self.env["mail.activity.plan"]
        plans = Plan._care_plans("stage_entered")
        for plan in plans:
            code = plan.care_stage_code
            entered = moves.filtered(
                lambda move, code=code: move.stage_to_id.code == code
            )
            plan._care_launch(
                [
                    (
                        move.partner_id,
                        f"crm.lifecycle.history,{move.id}",
                        move,
                        move.date.date(),
                    )
                    for move in entered
                ]
            )
