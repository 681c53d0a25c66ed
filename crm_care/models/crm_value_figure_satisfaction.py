from odoo import api, models

# How each measure maps to 0-1 satisfaction: (lowest, highest) of its scale.
# CES asks "how easy was it", so 7 (very easy) is the most satisfied.
CARE_SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}


class CrmValueFigureSatisfaction(models.AbstractModel):
    _inherit = "crm.value.figure.satisfaction"

    @api.model
    def _get_figures(self, scope):
        """Satisfaction from the customers' completed surveys: the average of
        their scores each brought to 0-1 (NPS/10, (CSAT-1)/4, (CES-1)/6)."""
        figures = super()._get_figures(scope)
        groups = (
            self.env["survey.user_input"]
            .sudo()
            ._read_group(
                [
                    ("care_partner_id", "in", list(scope["partner_ids"])),
                    ("state", "=", "done"),
                    ("test_entry", "=", False),
                    ("care_kind", "!=", False),
                    "|",
                    ("care_nps_class", "!=", False),
                    ("care_score", ">", 0),
                ],
                ["care_partner_id", "care_kind"],
                ["care_score:sum", "__count"],
            )
        )
        totals = {}
        for partner, kind, score_sum, count in groups:
            low, high = CARE_SCALES[kind]
            normalised = (score_sum - low * count) / (high - low)
            total = totals.setdefault(partner.id, [0.0, 0])
            total[0] += normalised
            total[1] += count
        for partner_id, (normalised, count) in totals.items():
            figures.setdefault(partner_id, {})["satisfaction"] = min(
                max(normalised / count, 0.0), 1.0
            )
        return figures
