from odoo import api, fields, models

from ..groups import MANAGER


class CrmValueSegmentHistory(models.Model):
    """A segment's count on one day, written by the nightly count: its graph
    shows how the segment grows or shrinks."""

    _name = "crm.value.segment.history"
    _description = "Customer Segment History"
    _order = "date desc, id desc"
    _rec_name = "segment_id"

    segment_id = fields.Many2one(
        "crm.value.segment",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(
        related="segment_id.company_id", store=True, index=True, readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, readonly=True)
    member_count = fields.Integer(string="Customers", readonly=True, aggregator="sum")
    member_profit = fields.Monetary(
        string="Profit",
        readonly=True,
        groups=MANAGER,
        currency_field="currency_id",
        aggregator="sum",
    )

    _sql_constraints = [
        (
            "segment_date_uniq",
            "unique(segment_id, date)",
            "A segment has one count a day.",
        )
    ]

    @api.model
    def _record(self, date, figures):
        """Keep `figures` ({segment: (count, profit)}) as the segments' count
        of `date`: a second count the same day replaces the first."""
        segments = self.env["crm.value.segment"].union(*figures)
        existing = {
            row.segment_id: row
            for row in self.sudo().search(
                [("segment_id", "in", segments.ids), ("date", "=", date)]
            )
        }
        new = []
        for segment, (count, profit) in figures.items():
            values = {"member_count": count, "member_profit": profit}
            if segment in existing:
                existing[segment].sudo().write(values)
            else:
                new.append({**values, "segment_id": segment.id, "date": date})
        self.sudo().create(new)
