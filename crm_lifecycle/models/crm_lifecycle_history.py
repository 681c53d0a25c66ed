from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_value.sql_arrays import array_literal, unnest_rows

# Why a customer moved: the reason is written from this and the facts of the
# day of the move, in the language of whoever reads it.
REASON_CODES = [
    ("first_evaluation", "First evaluation"),
    ("rule", "Lifecycle rule"),
    ("manual", "Moved by hand"),
]
# The facts of a move, stored on it: column -> key in the engine's facts.
REASON_FACTS = ("last_order_date", "days_since_order", "order_interval", "p_alive")
# Why a customer left, stored on their loss: the reason and a note.
CHURN_COLUMNS = ("churn_reason_id", "churn_note")


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
    reason_code = fields.Selection(
        REASON_CODES,
        string="Reason Kind",
        readonly=True,
        help="Why the customer moved: the reason is written from it and the "
        "facts of the day of the move, in the reader's language.",
    )
    last_order_date = fields.Date(
        string="Last Order (at Move)",
        readonly=True,
        help="The customer's last purchase as of the day of the move; empty when "
        "they had bought nothing yet.",
    )
    days_since_order = fields.Integer(
        string="Days Without Order",
        readonly=True,
        aggregator="avg",
        help="Days from the last purchase to the day of the move.",
    )
    order_interval = fields.Float(
        string="Usual Interval (Days)",
        readonly=True,
        digits=(16, 1),
        aggregator="avg",
        help="The customer's usual days between two orders on the day of the move "
        "(0 with fewer than two orders).",
    )
    p_alive = fields.Float(
        string="P(alive)",
        readonly=True,
        digits=(16, 2),
        aggregator="avg",
        help="The probability that the customer still buys (BG/NBD) when they moved.",
    )
    reason_note = fields.Text(
        string="Recorded Reason",
        readonly=True,
        help="A reason recorded as text (moves recorded before reasons were "
        "stored as facts): shown as it was written.",
    )
    churn_reason_id = fields.Many2one(
        "crm.lifecycle.churn.reason",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="Why the customer left (流失原因): recorded by a manager marking "
        "them lost, or by their representative closing the churn warning; a "
        "reason found while they were at risk is carried to their loss.",
    )
    churn_note = fields.Text(readonly=True, help="What the customer said, in words.")
    reason = fields.Text(
        compute="_compute_reason",
        help="Why the customer moved, in your language.",
    )
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

    conversion_percent = fields.Float(
        string="Conversion (%)",
        compute="_compute_conversion_percent",
        aggregator="sum",
        digits=(16, 1),
        help="In a report grouped by next stage: the share of the stays in the "
        "same group (stage, month…) that went on to that next stage.",
    )

    @api.depends("reason_code", "reason_note", *REASON_FACTS)
    @api.depends_context("lang")
    def _compute_reason(self):
        for move in self:
            move.reason = move._render_reason(
                move.reason_code,
                {name: move[name] for name in REASON_FACTS},
                move.reason_note,
            )

    @api.model
    def _render_reason(self, code, facts, note=None):
        """The reason of a move in the language of the environment, from its
        code and facts ({REASON_FACTS name: value}); `note`, a reason recorded
        as text, when there are none. E.g. "No order for 95 days; usual
        interval 30 days; P(alive) 0.31"."""
        _ = self.env._
        if code == "first_evaluation":
            return _("First evaluation: every customer starts here.")
        if code == "manual":
            return _("Moved by hand")
        if code != "rule":
            return note or False
        if not facts.get("last_order_date"):
            parts = [_("No order yet")]
        elif not facts.get("days_since_order"):
            parts = [_("Ordered that day")]
        else:
            parts = [_("No order for %(days)s days", days=facts["days_since_order"])]
        if facts.get("last_order_date") and facts.get("order_interval"):
            parts.append(
                _("usual interval %(days)s days", days=round(facts["order_interval"]))
            )
        if facts.get("p_alive"):
            probability = format(facts["p_alive"], ".2f")
            parts.append(_("P(alive) %(p_alive)s", p_alive=probability))
        return "; ".join(parts)

    @api.depends("stage_from_id", "stage_to_id")
    def _compute_move_kind(self):
        for move in self:
            move.is_churn, move.is_win_back = self._move_kind(
                move.stage_from_id, move.stage_to_id
            )

    @staticmethod
    def _move_kind(stage_from, stage_to):
        """(churn, win-back) of a move between these stages."""
        was_lost = stage_from.is_lost
        return stage_to.is_lost and not was_lost, was_lost and not stage_to.is_lost

    @api.model
    def _reason(self, code, facts=None, churn_reason=None, churn_note=None):
        """A move's reason as it is recorded: its code (REASON_CODES) and, for
        a rule's move, the facts of the day ({REASON_FACTS name: value},
        crm.lifecycle.facts._get_reason_facts), put in words when read; for a
        loss, why the customer left (a crm.lifecycle.churn.reason, a note)."""
        facts = facts or {}
        return {
            "reason_code": code,
            **{name: facts.get(name) for name in REASON_FACTS},
            "churn_reason_id": churn_reason.id if churn_reason else None,
            "churn_note": churn_note or None,
        }

    @staticmethod
    def _reason_columns(reason):
        """[(column, value)] storing a move's reason: its code and facts, or a
        text."""
        if not isinstance(reason, dict):
            return [
                ("reason_code", None),
                *((name, None) for name in REASON_FACTS),
                ("reason_note", reason or None),
                *((name, None) for name in CHURN_COLUMNS),
            ]
        return [
            ("reason_code", reason.get("reason_code")),
            *((name, reason.get(name)) for name in REASON_FACTS),
            ("reason_note", None),
            *((name, reason.get(name)) for name in CHURN_COLUMNS),
        ]

    @api.model
    def _record_moves(self, company, moves, now, entered=True):
        """Store `moves`, {partner id: [(from stage, to stage, rule, user,
        reason)]} in the order they happened at `now`, and close the stays they
        end. A reason is {"reason_code": code, REASON_FACTS name: value}, the
        words written when read, or a text kept as it is. With `entered`
        (not on a company's first classification), the customers entered
        their stages: _on_stages_entered is called. A loss recorded without
        a churn reason takes the one recorded on the stay it ends (found
        while the customer was at risk)."""
        if not moves:
            return self
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            WITH closed AS (
                UPDATE crm_lifecycle_history h
                   SET date_end = %(now)s, next_stage_id = v.next_stage_id,
                       duration_days = GREATEST(EXTRACT(EPOCH FROM %(now)s - h.date), 0) / 86400.0
                  FROM %(rows)s
                 WHERE h.partner_id = v.partner_id AND h.company_id = %(company)s
                   AND h.date_end IS NULL
             RETURNING h.partner_id, h.churn_reason_id, h.churn_note
            )
            SELECT partner_id, churn_reason_id, churn_note FROM closed
             WHERE churn_reason_id IS NOT NULL
            """,
                now=now,
                company=company.id,
                rows=unnest_rows(
                    self._fields,
                    {
                        "partner_id": list(moves),
                        "next_stage_id": [chain[0][1].id for chain in moves.values()],
                    },
                ),
            )
        )
        # {partner id: {CHURN_COLUMNS name: value}} of the stays just closed
        # that knew why the customer was leaving.
        found = {
            pid: dict(zip(CHURN_COLUMNS, values, strict=True))
            for pid, *values in self.env.cr.fetchall()
        }
        self.invalidate_model()
        columns, kinds = defaultdict(list), {}
        for pid, chain in moves.items():
            for index, (stage_from, stage_to, rule, user, reason) in enumerate(chain):
                following = chain[index + 1][1] if index + 1 < len(chain) else None
                if (stage_from, stage_to) not in kinds:
                    kinds[stage_from, stage_to] = self._move_kind(stage_from, stage_to)
                is_churn, is_win_back = kinds[stage_from, stage_to]
                if is_churn and pid in found and isinstance(reason, dict):
                    if not reason.get("churn_reason_id"):
                        reason = {**reason, **found.pop(pid)}
                for name, value in (
                    ("partner_id", pid),
                    ("stage_from_id", stage_from.id or None),
                    ("stage_to_id", stage_to.id),
                    ("rule_id", rule.id or None),
                    ("user_id", user.id or None),
                    *self._reason_columns(reason),
                    ("next_stage_id", following and following.id),
                    ("is_churn", is_churn),
                    ("is_win_back", is_win_back),
                ):
                    columns[name].append(value)
        # One INSERT of typed arrays: the ORM's create was most of a first
        # evaluation's time (a few moves for every customer). A log written
        # by the system, never by hand.
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO crm_lifecycle_history (%(names)s, company_id, date,
                   date_end, duration_days, create_uid, write_uid, create_date,
                   write_date)
            SELECT v.*, %(company)s, %(now)s,
                   CASE WHEN v.next_stage_id IS NOT NULL THEN %(now)s END, 0.0,
                   %(uid)s, %(uid)s, now() at time zone 'UTC',
                   now() at time zone 'UTC'
              FROM %(rows)s
            RETURNING id
            """,
                names=SQL(", ").join(map(SQL.identifier, columns)),
                company=company.id,
                now=now,
                uid=self.env.uid,
                rows=unnest_rows(self._fields, columns),
            )
        )
        history = self.browse(row[0] for row in self.env.cr.fetchall())
        # What the ORM's create would do: the partners' history and the
        # figures computed from it are read again.
        self.env["res.partner"].invalidate_model(["lifecycle_history_ids"])
        history.modified(self._fields, create=True)
        for name in ("is_churn", "is_win_back"):  # inserted with the moves
            self.env.remove_to_compute(self._fields[name], history)
        if entered:
            history._on_stages_entered(company)
        return history

    @api.model
    def _get_open_stage_ids(self, company, partner_ids):
        """{partner id: ids of the stages of their open stays in `company`}:
        where the history says these customers are."""
        self.flush_model(["partner_id", "company_id", "stage_to_id", "date_end"])
        self.env.cr.execute(
            SQL(
                """
            SELECT partner_id, array_agg(stage_to_id) FROM crm_lifecycle_history
             WHERE company_id = %s AND date_end IS NULL
               AND partner_id = ANY(%s::int4[])
             GROUP BY partner_id
            """,
                company.id,
                array_literal(partner_ids),
            )
        )
        return {pid: set(stage_ids) for pid, stage_ids in self.env.cr.fetchall()}

    @api.model
    def _record_manual_moves(self, partners, before):
        """Record the stages set by hand on `partners` (form, kanban, import,
        RPC): their stage changes from `before` ({partner id: stage}) that
        the history does not hold yet. The engine records its moves, with
        their rules and reasons, before it writes the stages they end in."""
        Stage, company = self.env["crm.lifecycle.stage"], self.env.company
        changed = partners.filtered(
            lambda partner: (
                partner.lifecycle_stage_id
                and partner.lifecycle_stage_id != before.get(partner.id, Stage)
            )
        )
        recorded = self._get_open_stage_ids(company, changed.ids)
        moves = {
            partner.id: [
                (
                    before.get(partner.id, Stage),
                    partner.lifecycle_stage_id,
                    self.env["crm.lifecycle.rule"],
                    self.env.user,
                    self._reason("manual"),
                )
            ]
            for partner in changed
            if partner.lifecycle_stage_id.id not in recorded.get(partner.id, ())
        }
        return self._record_moves(company, moves, fields.Datetime.now())

    @api.model
    def _get_open_stays(self, company, partners):
        """The stays in `company` these customers have not left: where they
        are, as the history holds it."""
        return self.search(
            [
                ("company_id", "=", company.id),
                ("partner_id", "in", partners.ids),
                ("date_end", "=", False),
            ]
        )

    def _record_churn_reason(self, reason, note=False):
        """Keep why the customer left (a crm.lifecycle.churn.reason, a note)
        on these stays. The history is the system's log, written by no user:
        the callers check who may record a reason (the churn wizard)."""
        self.sudo().write({"churn_reason_id": reason.id, "churn_note": note or False})

    def _on_stages_entered(self, company):
        """Hook: these moves, just recorded in `company`, are customers
        entering stages (care plans start on them). Not called for a
        company's first classification of the customers it already has."""

    # ------------------------------------------------------------------
    # Conversion between stages, as percentages in reports
    # ------------------------------------------------------------------
    def _compute_conversion_percent(self):
        for stay in self:
            stay.conversion_percent = 100.0 if stay.next_stage_id else 0.0

    def _read_group_select(self, aggregate_spec, query):
        # Filled by read_group from the groups' counts (below).
        if aggregate_spec.split(":")[0] == "conversion_percent":
            return SQL("NULL::float")
        return super()._read_group_select(aggregate_spec, query)

    @api.model
    def read_group(
        self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True
    ):
        """Conversion (%) of each group: its stays out of those of the same
        group without the next stage, e.g. the share of the customers who
        left *new* for *active*, counted in the database."""
        groups = super().read_group(
            domain, fields, groupby, offset, limit, orderby, lazy
        )
        if not any(spec.split(":")[0] == "conversion_percent" for spec in fields):
            return groups
        groupby = [groupby] if isinstance(groupby, str) else list(groupby)
        if lazy:
            groupby = groupby[:1]
        outer = [spec for spec in groupby if spec.split(":")[0] != "next_stage_id"]

        def count(group):
            if "__count" in group:
                return group["__count"]
            return group.get(f"{groupby[0]}_count", 0) if groupby else 0

        def key(group):
            return tuple(str(group.get(spec)) for spec in outer)

        if outer == groupby:
            totals = {key(group): count(group) for group in groups}
        else:
            totals = {
                key(group): count(group)
                for group in super().read_group(domain, [], outer, lazy=False)
            }
        for group in groups:
            total = totals.get(key(group))
            group["conversion_percent"] = 100.0 * count(group) / total if total else 0.0
        return groups
