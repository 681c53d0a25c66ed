from odoo import api, fields, models
from odoo.tools import SQL


class CrmLifecycleHistory(models.Model):
    """One move of a customer from a stage to another, and the stay in the
    stage it entered: when the next move happens, the stay is closed."""

    _name = "crm.lifecycle.history"
    _description = "Customer Lifecycle History"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, ondelete="cascade", readonly=True
    )
    stage_from_id = fields.Many2one(
        "crm.lifecycle.stage", string="From Stage", readonly=True
    )
    stage_to_id = fields.Many2one(
        "crm.lifecycle.stage", string="To Stage", required=True, readonly=True
    )
    date = fields.Datetime(required=True, index=True, readonly=True)
    rule_id = fields.Many2one("crm.lifecycle.rule", ondelete="set null", readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Moved By", readonly=True, help="Empty for rule moves."
    )
    reason = fields.Text(readonly=True)
    date_end = fields.Datetime(
        string="Left On", readonly=True, help="When the customer left the stage."
    )
    next_stage_id = fields.Many2one(
        "crm.lifecycle.stage",
        readonly=True,
        help="The stage the customer went to from this one.",
    )
    duration_days = fields.Float(
        string="Days in Stage",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Days the customer stayed in the stage, once they have left it.",
    )
    is_churn = fields.Boolean(
        string="Churn",
        compute="_compute_move_kind",
        store=True,
        precompute=True,  # in the INSERT, not one UPDATE per batch of moves after
        help="A customer entered a lost stage.",
    )
    is_win_back = fields.Boolean(
        string="Win-back",
        compute="_compute_move_kind",
        store=True,
        precompute=True,  # in the INSERT, not one UPDATE per batch of moves after
        help="A lost customer came back to a customer stage (挽回).",
    )

    @api.depends("stage_from_id", "stage_to_id")
    def _compute_move_kind(self):
        for move in self:
            was_lost = move.stage_from_id.is_lost
            move.is_churn = move.stage_to_id.is_lost and not was_lost
            move.is_win_back = was_lost and not move.stage_to_id.is_lost

    @api.model
    def _record_moves(self, company, moves, now):
        """Store `moves`, {partner id: [(from stage, to stage, rule, user, reason)]}
        in the order they happened at `now`, and close the stays they end."""
        if not moves:
            return self
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            UPDATE crm_lifecycle_history h
               SET date_end = %(now)s, next_stage_id = v.next_stage,
                   duration_days = GREATEST(EXTRACT(EPOCH FROM %(now)s - h.date), 0) / 86400.0
              FROM (VALUES %(values)s) AS v(partner_id, next_stage)
             WHERE h.partner_id = v.partner_id AND h.company_id = %(company)s
               AND h.date_end IS NULL
            """,
                now=now,
                company=company.id,
                values=SQL(", ").join(
                    SQL("(%s, %s)", pid, chain[0][1].id) for pid, chain in moves.items()
                ),
            )
        )
        self.invalidate_model()
        vals_list = []
        for pid, chain in moves.items():
            for index, (stage_from, stage_to, rule, user, reason) in enumerate(chain):
                following = chain[index + 1][1] if index + 1 < len(chain) else None
                vals_list.append(
                    {
                        "partner_id": pid,
                        "company_id": company.id,
                        "stage_from_id": stage_from.id,
                        "stage_to_id": stage_to.id,
                        "date": now,
                        "rule_id": rule.id,
                        "user_id": user.id,
                        "reason": reason,
                        "date_end": following and now,
                        "next_stage_id": following and following.id,
                        "duration_days": 0.0,
                    }
                )
        # A log written by the system, never by hand: users only read it.
        return self.sudo().create(vals_list)
