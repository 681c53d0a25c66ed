from odoo import fields, models

from ..figures import Figure, figure_source


@figure_source
class CrmValueFigureSatisfaction(models.AbstractModel):
    """How satisfied the customer is, 0-1: the psychological axis of the
    value vector, read by the scoring from the snapshot (no value: neutral,
    0.5). Nothing measures it here: the addon that surveys satisfaction
    extends _get_figures (crm_care)."""

    _name = "crm.value.figure.satisfaction"
    _inherit = "crm.value.figure.source"
    _description = "Customer Value Figures: Satisfaction"
    _figure_sequence = 70
    _figures = (
        Figure(
            "satisfaction",
            fields.Float,
            default=None,
            snapshot={
                "aggregator": "avg",
                "digits": (16, 2),
                "help": "The customer's satisfaction from 0 to 1, where it is "
                "measured (surveys); empty where it is not.",
            },
        ),
    )
