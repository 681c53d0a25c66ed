from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import index_exists

from ..groups import MANAGER
from ..sql_arrays import array_literal, unnest_rows

TIER_MOVES = [
    ("new", "New"),
    ("up", "Upgraded"),
    ("same", "Unchanged"),
    ("down", "Downgraded"),
    ("lost", "Left the pyramid"),
]

ONE_CURRENT_INDEX = "crm_value_snapshot_one_current_uniq"

# clv_decile as labels, lowest first ("01".."10" sort as the deciles do).
CLV_DECILES = [
    ("01", "Decile 1 (bottom 10%)"),
    ("02", "Decile 2 (top 80-90%)"),
    ("03", "Decile 3 (top 70-80%)"),
    ("04", "Decile 4 (top 60-70%)"),
    ("05", "Decile 5 (top 50-60%)"),
    ("06", "Decile 6 (top 40-50%)"),
    ("07", "Decile 7 (top 30-40%)"),
    ("08", "Decile 8 (top 20-30%)"),
    ("09", "Decile 9 (top 10-20%)"),
    ("10", "Decile 10 (top 10%)"),
]

QUADRANTS = [
    ("strategic", "Strategic: high value, high potential"),
    ("maintain", "Maintain: high value, low potential"),
    ("develop", "Develop: low value, high potential"),
    ("low", "Low value: low value, low potential"),
]


class CrmValueSnapshot(models.Model):
    """A customer's value figures and tier as computed on one day, per company.

    The engine writes one row per customer and day (a second recompute on the
    same day updates it); the newest row is the current one, shown on the partner.
    """

    _name = "crm.value.snapshot"
    _description = "Customer Value Snapshot"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    date = fields.Date(required=True, index=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, ondelete="cascade", readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    is_current = fields.Boolean(
        string="Current",
        index=True,
        readonly=True,
        help="The newest snapshot of this customer in this company.",
    )
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)

    # The figures: declared by their sources (crm.value.figure.*), whose
    # @figure_source makes them columns here.

    tier_id = fields.Many2one("crm.value.tier", readonly=True)
    previous_tier_id = fields.Many2one(
        "crm.value.tier",
        readonly=True,
        help="The tier in the snapshot before this one.",
    )
    tier_move = fields.Selection(TIER_MOVES, readonly=True)
    abc_class = fields.Selection(
        [("A", "Class A"), ("B", "Class B"), ("C", "Class C")],
        string="ABC Class",
        readonly=True,
    )

    # Scores over all the company's current customers (one model fit per run).
    rfm_recency = fields.Integer(
        string="Recency (R)",
        readonly=True,
        aggregator="avg",
        help="Recency score, 1-5.",
    )
    rfm_frequency = fields.Integer(
        string="Frequency (F)",
        readonly=True,
        aggregator="avg",
        help="Frequency score, 1-5.",
    )
    rfm_monetary = fields.Integer(
        string="Monetary (M)",
        readonly=True,
        aggregator="avg",
        help="Monetary score, 1-5.",
    )
    rfm_segment_id = fields.Many2one("crm.value.rfm.segment", readonly=True)
    p_alive = fields.Float(
        string="P(alive)",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="Probability that the customer still buys from you (BG/NBD).",
    )
    expected_orders = fields.Float(
        readonly=True,
        aggregator="sum",
        digits=(16, 2),
        help="Orders the customer is expected to place in the next 12 months.",
    )
    clv_historical = fields.Monetary(
        string="Historical CLV", groups=MANAGER, aggregator="sum", readonly=True
    )
    clv_future = fields.Monetary(
        string="Future CLV", groups=MANAGER, aggregator="sum", readonly=True
    )
    clv = fields.Monetary(
        string="Lifetime Value", groups=MANAGER, aggregator="sum", readonly=True
    )
    clv_decile = fields.Integer(
        string="CLV Decile",
        readonly=True,
        aggregator=None,
        help="10: the tenth of customers with the highest lifetime value.",
    )
    clv_decile_label = fields.Selection(
        CLV_DECILES,
        string="Lifetime Value Decile",
        compute="_compute_clv_decile_label",
        help="The tenth of the company's customers by lifetime value this "
        "customer is in, from the bottom tenth (1) to the top tenth (10).",
    )
    quadrant = fields.Selection(QUADRANTS, string="Value Matrix", readonly=True)
    value_economic = fields.Float(
        string="Economic Value", readonly=True, digits=(16, 2)
    )
    value_functional = fields.Float(
        string="Functional Value", readonly=True, digits=(16, 2)
    )
    value_psychological = fields.Float(
        string="Psychological Value", readonly=True, digits=(16, 2)
    )
    value_score = fields.Float(readonly=True, aggregator="avg", digits=(16, 1))

    # Network value (crm.value.network): the customers this one referred.
    referral_count = fields.Integer(
        string="Referred Customers Who Bought",
        readonly=True,
        aggregator="sum",
        help="Customers who name this one as their referrer and have bought.",
    )
    network_profit = fields.Monetary(
        groups=MANAGER,
        aggregator="sum",
        readonly=True,
        help="Net profit over the analysis window of the customers this one referred.",
    )
    lifetime_network_profit = fields.Monetary(
        groups=MANAGER,
        aggregator="sum",
        readonly=True,
        help="Net profit over the whole history of the customers this one referred.",
    )
    ranking_profit = fields.Monetary(
        string="Profit Ranked On",
        groups=MANAGER,
        aggregator="sum",
        readonly=True,
        help="The customer's own net profit on the ranking basis plus the network "
        "weight (Settings) times its network profit, when positive: what the "
        "pyramid ranks it on when the weight is set.",
    )
    # The scorecard (crm.value.scorecard), after the other scores.
    segment_revenue_share = fields.Float(
        string="Share of Segment Revenue (%)",
        groups=MANAGER,
        readonly=True,
        aggregator=None,
        digits=(16, 2),
        help="The customer's revenue over the analysis window as a share of "
        "the revenue of all the company's customers in the same RFM segment.",
    )
    score_financial = fields.Float(
        string="Financial Score", readonly=True, aggregator="avg", digits=(16, 1)
    )
    score_market = fields.Float(
        string="Market Score", readonly=True, aggregator="avg", digits=(16, 1)
    )
    score_management = fields.Float(
        string="Management Score", readonly=True, aggregator="avg", digits=(16, 1)
    )
    score_learning = fields.Float(
        string="Learning and Growth Score",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
    )
    score_total = fields.Float(
        string="Scorecard Total", readonly=True, aggregator="avg", digits=(16, 1)
    )

    _sql_constraints = [
        (
            "partner_company_date_uniq",
            "unique(partner_id, company_id, date)",
            "One snapshot per customer, company and day.",
        ),
    ]

    # ------------------------------------------------------------------
    # The store: the engine's rows written and read in bulk
    # ------------------------------------------------------------------
    @api.model
    def _store_figures(self, company, figures, columns, carried):
        """Today's snapshot row per customer (updated if one exists today), the
        one current row of the customer in the company, holding the `columns`
        of `figures` ({partner id: {figure name: value}}).

        A new row carries over the tier and the `carried` columns (ABC class,
        scores) of the row it replaces until scoring and ranking rewrite them:
        a customer whose figures are stored alone is never left without its
        P(alive), RFM, value matrix or score."""
        self._write_current(
            company,
            figures,
            columns,
            {
                "tier_id": "tier_id",
                "previous_tier_id": "tier_id",
                **{name: name for name in carried},
            },
        )

    @api.model
    def _store_rows(self, company, rows, columns):
        """Today's complete snapshot row per customer (updated if one exists
        today), the one current row of the customer in the company: the
        `columns` of `rows` ({partner id: {column: value}}), figures, scores,
        tier and previous tier alike, in one write."""
        self._write_current(company, rows, columns, {})

    @api.model
    def _write_current(self, company, rows, columns, carried):
        """Make today's row of each customer of `rows` current with its
        `columns`; a new row takes the `carried` columns ({column: column of
        the row it replaces}) from the row it replaces, today's row keeps
        them."""
        cr, today, partner_ids = self.env.cr, company._get_value_today(), list(rows)
        cr.execute(
            SQL(
                """
            UPDATE crm_value_snapshot SET is_current = FALSE
             WHERE company_id = %s AND partner_id = ANY(%s::int[]) AND is_current
               AND date <> %s
            RETURNING partner_id, id
            """,
                company.id,
                array_literal(partner_ids),
                today,
            )
        )
        previous = dict(cr.fetchall())
        values = {"partner_id": partner_ids}
        if carried:
            values["previous_id"] = [previous.get(pid) for pid in partner_ids]
        values.update(
            (name, [rows[pid][name] for pid in partner_ids]) for name in columns
        )
        updates = SQL(", ").join(
            SQL("%s = EXCLUDED.%s", SQL.identifier(name), SQL.identifier(name))
            for name in (*columns, "user_id", "country_id", "write_date")
        )
        snapshot_fields = dict(self._fields, previous_id=self._fields["id"])
        cr.execute(
            SQL(
                """
            INSERT INTO crm_value_snapshot (partner_id, company_id, date, is_current,
                   user_id, country_id, create_uid, write_uid, create_date,
                   write_date, %(columns)s)
            SELECT v.partner_id, %(company)s, %(today)s, TRUE, p.user_id, p.country_id,
                   %(uid)s, %(uid)s, now() at time zone 'UTC',
                   now() at time zone 'UTC', %(values)s
              FROM %(rows)s
              JOIN res_partner p ON p.id = v.partner_id
              %(previous)s
             -- ids in customer order whatever the join: the ranking breaks
             -- ties of profit by snapshot id
             ORDER BY v.partner_id
            ON CONFLICT (partner_id, company_id, date) DO UPDATE
               SET is_current = TRUE, %(updates)s
            """,
                columns=SQL(", ").join(SQL.identifier(n) for n in (*columns, *carried)),
                company=company.id,
                today=today,
                uid=self.env.uid,
                values=SQL(", ").join(
                    [SQL("v.%s", SQL.identifier(n)) for n in columns]
                    + [SQL("prev.%s", SQL.identifier(n)) for n in carried.values()]
                ),
                rows=unnest_rows(snapshot_fields, values),
                previous=SQL(
                    "LEFT JOIN crm_value_snapshot prev ON prev.id = v.previous_id"
                )
                if carried
                else SQL(),
                updates=updates,
            )
        )
        self.invalidate_model()

    @api.model
    def _read_current_rows(self, company, columns):
        """The company's current rows as {column: [value per row]}, in
        snapshot id order (the order ties are broken in): id, partner_id and
        `columns`, in one query."""
        names = ["id", "partner_id", *dict.fromkeys(columns)]
        self.flush_model([*names, "company_id", "is_current"])
        self.env.cr.execute(
            SQL(
                """
            SELECT %s FROM crm_value_snapshot
             WHERE company_id = %s AND is_current
             ORDER BY id
            """,
                SQL(", ").join(SQL.identifier(name) for name in names),
                company.id,
            )
        )
        values = list(zip(*self.env.cr.fetchall(), strict=True)) or [()] * len(names)
        return {name: list(column) for name, column in zip(names, values, strict=True)}

    @api.model
    def _update_changed(self, rows, new_values, indexes=None):
        """Write `new_values` ({column: [value per row]}) to the rows of `rows`
        (as _read_current_rows reads them, with those columns) whose values
        differ, in one UPDATE; only the rows at `indexes` (all if None)."""
        columns = list(new_values)
        changed = [
            index
            for index in (range(len(rows["id"])) if indexes is None else indexes)
            if any(rows[name][index] != new_values[name][index] for name in columns)
        ]
        if not changed:
            return
        values = {"id": [rows["id"][index] for index in changed]}
        values.update(
            (name, [new_values[name][index] for index in changed]) for name in columns
        )
        self.env.cr.execute(
            SQL(
                "UPDATE crm_value_snapshot s SET %s FROM %s WHERE s.id = v.id",
                SQL(", ").join(
                    SQL("%s = v.%s", SQL.identifier(name), SQL.identifier(name))
                    for name in columns
                ),
                unnest_rows(self._fields, values),
            )
        )
        self.invalidate_model()

    def _compute_clv_decile_label(self):
        for snapshot in self:
            decile = snapshot.clv_decile
            snapshot.clv_decile_label = f"{decile:02d}" if decile else False

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        # The decile's label groups, sorts and filters as the decile.
        if fname == "clv_decile_label":
            decile = super()._field_to_sql(alias, "clv_decile", query, flush)
            return SQL("lpad(NULLIF(%s, 0)::text, 2, '0')", decile)
        return super()._field_to_sql(alias, fname, query, flush)

    def init(self):
        """One current snapshot per customer and company, enforced by the
        database (databases of 18.0.1.0.0 that hold two keep the newest one
        current: migrations/18.0.1.1.0/pre-migrate.py)."""
        super().init()
        if index_exists(self.env.cr, ONE_CURRENT_INDEX):
            return
        self.env.cr.execute(
            SQL(
                """
            CREATE UNIQUE INDEX %s
                ON crm_value_snapshot (partner_id, company_id) WHERE is_current
            """,
                SQL.identifier(ONE_CURRENT_INDEX),
            )
        )
