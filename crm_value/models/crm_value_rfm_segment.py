from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmValueRfmSegment(models.Model):
    """An RFM segment: the cells of the recency x frequency grid it covers, and
    what to do with its customers. The first segment (by sequence) whose ranges
    hold a customer's R and F scores wins."""

    _name = "crm.value.rfm.segment"
    _inherit = ["crm.value.shared.mixin"]
    _description = "RFM Segment"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    recency_min = fields.Integer(string="Recency From", default=1, required=True)
    recency_max = fields.Integer(string="Recency To", default=5, required=True)
    frequency_min = fields.Integer(string="Frequency From", default=1, required=True)
    frequency_max = fields.Integer(string="Frequency To", default=5, required=True)
    action = fields.Text(
        string="Recommended Action",
        translate=True,
        help="What to do with the customers of this segment.",
    )

    _sql_constraints = [
        ("code_uniq", "unique(code)", "An RFM segment code must be unique.")
    ]

    @api.constrains("recency_min", "recency_max", "frequency_min", "frequency_max")
    def _check_ranges(self):
        for segment in self:
            for low, high in (
                (segment.recency_min, segment.recency_max),
                (segment.frequency_min, segment.frequency_max),
            ):
                if not 1 <= low <= high <= 5:
                    raise ValidationError(
                        self.env._(
                            "Segment %(segment)s: scores go from 1 to 5, and a range "
                            "must not end before it starts (%(low)s to %(high)s).",
                            segment=segment.name,
                            low=low,
                            high=high,
                        )
                    )

    @api.model
    def _get_grid(self):
        """{(R score, F score): segment id} for the 25 cells of the grid."""
        grid = {}
        for segment in self.search([]):
            for r in range(segment.recency_min, segment.recency_max + 1):
                for f in range(segment.frequency_min, segment.frequency_max + 1):
                    grid.setdefault((r, f), segment.id)
        return grid
