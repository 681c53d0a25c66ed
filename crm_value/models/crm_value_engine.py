import logging
from collections import defaultdict

import numpy as np

from odoo import api, models
from odoo.tools import SQL

from ..analytics import bgnbd, clv, gamma_gamma, rfm, value_matrix
from ..analytics.pyramid import TierRule, abc_classes, assign_tiers
from ..figures import merge_functions, merge_values
from ..sql_arrays import array_literal, unnest_rows

_logger = logging.getLogger(__name__)

# From this many customers at once, a figure query reads the company's books
# whole rather than finding each customer's documents by index
# (scope["whole_books"]).
WHOLE_BOOKS_FROM = 5000

# Columns the company's scoring writes (_score_company), in one pass over all
# its current customers.
SCORE_COLUMNS = (
    "rfm_recency",
    "rfm_frequency",
    "rfm_monetary",
    "rfm_segment_id",
    "p_alive",
    "expected_orders",
    "clv_historical",
    "clv_future",
    "clv",
    "clv_decile",
    "quadrant",
    "value_economic",
    "value_functional",
    "value_psychological",
    "value_score",
)
# Carried from a customer's previous snapshot to its new one until the run's
# scoring and ranking rewrite them.
CARRIED_COLUMNS = (*SCORE_COLUMNS, "abc_class")


class CrmValueEngine(models.AbstractModel):
    """Computes customer value for many customers at once, in the database.

    Every figure is one set-based query over the whole batch of customers, read
    in the transaction's single snapshot of the books, so invoices posted while
    it runs are either fully in or fully out (they re-queue their customer).
    """

    _name = "crm.value.engine"
    _description = "Customer Value Engine"

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------
    @api.model
    def _cron_recompute_value(self, batch_size=2000):
        """Once a day every customer of each company, otherwise the customers
        queued by events: computed at once per company, stored in batches,
        each batch committed, then the company scored and ranked."""
        queue = self.env["crm.value.queue"]
        for company, partner_ids, last_id, full in queue._get_runs(
            self._get_all_customers
        ):
            if partner_ids:
                self._recompute_queued(company, partner_ids, last_id, batch_size)
                # A commit after each step: each is whole, and PostgreSQL
                # re-checks every foreign key of a row updated twice in one
                # transaction.
                for step in (self._score_company, self._rank_company):
                    self._tune_transaction()
                    step(company)
                    queue._commit()
                self._on_customers_refreshed(company, partner_ids)
                queue._commit()
            if full:
                queue._mark_full_pass_done(company)

    @api.model
    def _queue_company_recompute(self, company):
        """Queue every customer of `company` for the scheduled recompute and
        wake it now (a hook: the lifecycle and care add their runs). What a
        manager's *Recompute now* does, through the nightly run's own path."""
        self.env["crm.value.queue"]._mark(
            (pid, company.id) for pid in self._get_all_customers(company)
        )

    @api.model
    def _on_customers_refreshed(self, company, partner_ids):
        """Hook of the nightly run, called once these customers' figures,
        scores and tiers in `company` are all stored: what depends on them
        (a lifecycle evaluation) is queued here, never on half-computed rows."""

    @api.model
    def _recompute_queued(self, company, partner_ids, last_id, batch_size):
        """Compute the figures of all the company's queued customers at once,
        then store them `batch_size` customers at a time, each batch committed
        with its queue rows (up to `last_id`: customers queued again meanwhile
        stay queued for the next run, their figures may be stale).

        One pass of each figure query over all the queued customers lets the
        database join whole tables by hashing, where batches made it probe
        indexes for every batch. The figures are read in one transaction: one
        consistent state of the books."""
        self._tune_transaction()
        self.env.flush_all()  # the queries below read the database, not the cache
        figures = self._compute_figures(company, partner_ids)
        self.env["crm.value.queue"]._store_in_batches(
            company,
            partner_ids,
            last_id,
            batch_size,
            lambda batch: self._write_snapshots(
                company, {pid: figures.pop(pid) for pid in batch}
            ),
        )

    @api.model
    def _recompute_partners(self, company, partner_ids):
        """Compute and store the figures of these commercial partners."""
        partner_ids = sorted(set(partner_ids))
        self.env.flush_all()  # the queries below read the database, not the cache
        if partner_ids:
            figures = self._compute_figures(company, partner_ids)
            self._write_snapshots(company, figures)

    @api.model
    def _tune_transaction(self):
        """Settings for this transaction's large aggregates: PostgreSQL's JIT
        off (the queries are costed above its threshold, and compiling them
        takes longer than running them), and room to sort and hash a
        company's books in memory rather than in temporary files."""
        self.env.cr.execute("SET LOCAL jit = off")
        self.env.cr.execute("SET LOCAL work_mem = '64MB'")

    # ------------------------------------------------------------------
    # Who is computed
    # ------------------------------------------------------------------
    @api.model
    def _get_all_customers(self, company):
        """Ids of the commercial partners with a posted customer invoice, a
        confirmed order or a current snapshot in `company`."""
        self.env.cr.execute(
            SQL(
                """
            SELECT commercial_partner_id FROM account_move
             WHERE company_id = %(company)s AND state = 'posted'
               AND move_type IN ('out_invoice', 'out_refund')
               AND commercial_partner_id IS NOT NULL
            UNION
            SELECT p.commercial_partner_id FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
             WHERE so.company_id = %(company)s AND so.state = 'sale'
            UNION
            SELECT partner_id FROM crm_value_snapshot
             WHERE company_id = %(company)s AND is_current
            """,
                company=company.id,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------
    @api.model
    def _get_figure_sources(self):
        """The figure sources (models inheriting crm.value.figure.source), in
        the order they run."""
        names = self.env.registry["crm.value.figure.source"]._inherit_children
        return sorted(
            (self.env[name] for name in names),
            key=lambda source: (source._figure_sequence, source._name),
        )

    @api.model
    def _get_declared_figures(self):
        """{figure name: Figure} of every source."""
        return {
            figure.name: figure
            for source in self._get_figure_sources()
            for figure in source._figures
        }

    @api.model
    def _get_figure_scope(self, company, partner_ids):
        """What a figure source computes over (crm.value.figure.source._get_figures)."""
        return {
            "company": company.id,
            "partner_ids": tuple(partner_ids),
            # For `= ANY(...)`: index lookups and hash joins where IN (...) would
            # be a linear filter per row; one array constant, not a list of
            # 100,000 values for the server to parse in each query.
            "partner_array": array_literal(partner_ids),
            "partner_count": len(partner_ids),
            "whole_books": len(partner_ids) >= WHOLE_BOOKS_FROM,
            "date_from": company._get_value_window_start(),
            "today": company._get_value_today(),
        }

    @api.model
    def _compute_figures(self, company, partner_ids):
        """{partner id: {figure name: value}} for these commercial partners:
        every source's figures merged as declared, then the derived ones."""
        scope = self._get_figure_scope(company, partner_ids)
        sources, declared = self._get_figure_sources(), self._get_declared_figures()
        defaults = {name: figure.default for name, figure in declared.items()}
        merges = merge_functions(declared)
        figures = {pid: dict(defaults) for pid in partner_ids}
        for source in sources:
            for pid, values in source._get_figures(scope).items():
                merge_values(figures[pid], values, merges)
        for source in sources:
            source._derive_figures(figures)
        return figures

    @api.model
    def _get_purchases_query(self, company=None, partner_array=None):
        """SQL: one row per purchase (partner_id: the commercial partner,
        purchased_at: a UTC timestamp, order_id: NULL for an invoice) of the
        customers in `company` (None: in every company), or only of the
        commercial partners in `partner_array` (an array_literal).

        The one definition of "bought", read wherever purchases are counted
        (orders, first and last sale, lifecycle facts, anniversaries): a
        confirmed sales order, on its order date, or a posted customer
        invoice with no sales order behind it (none of its lines invoices an
        order line), on its invoice date."""

        def where(alias, partner_column):
            conditions = []
            if company is not None:
                conditions.append(
                    SQL("%s = %s", SQL.identifier(alias, "company_id"), company.id)
                )
            if partner_array is not None:
                conditions.append(
                    SQL("%s = ANY(%s::int[])", partner_column, partner_array)
                )
            return SQL(" AND ").join(conditions) if conditions else SQL("TRUE")

        return SQL(
            """
            SELECT p.commercial_partner_id AS partner_id, so.date_order AS purchased_at,
                   so.id AS order_id
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
             WHERE so.state = 'sale' AND %(orders)s
            UNION ALL
            SELECT m.commercial_partner_id, m.invoice_date::timestamp, NULL::int
              FROM account_move m
             WHERE m.state = 'posted' AND m.move_type = 'out_invoice'
               AND m.commercial_partner_id IS NOT NULL AND %(invoices)s
               AND NOT EXISTS (
                   SELECT FROM account_move_line l
                     JOIN sale_order_line_invoice_rel r ON r.invoice_line_id = l.id
                    WHERE l.move_id = m.id)
            """,
            orders=where("so", SQL.identifier("p", "commercial_partner_id")),
            invoices=where("m", SQL.identifier("m", "commercial_partner_id")),
        )

    @api.model
    def _flush_purchases(self):
        """Write to the database the pending changes _get_purchases_query reads."""
        self.env["sale.order"].flush_model(
            ["partner_id", "company_id", "state", "date_order"]
        )
        self.env["account.move"].flush_model(
            [
                "commercial_partner_id",
                "company_id",
                "state",
                "move_type",
                "invoice_date",
            ]
        )
        self.env["account.move.line"].flush_model(["move_id", "sale_line_ids"])

    # ------------------------------------------------------------------
    # Snapshots and ranking
    # ------------------------------------------------------------------
    @api.model
    def _write_snapshots(self, company, figures):
        """Store `figures` ({partner id: {figure name: value}}) as today's
        current snapshots of these customers (crm.value.snapshot._store_figures)."""
        self.env["crm.value.snapshot"]._store_figures(
            company, figures, list(self._get_declared_figures()), CARRIED_COLUMNS
        )

    @api.model
    def _rank_company(self, company):
        """Re-rank every current customer of the company into tiers and ABC
        classes, store them on the snapshots and on the partners (tracked)."""
        self.env.flush_all()
        company = company.with_company(company)
        cr = self.env.cr
        # Ranked once some business is invoiced: a customer whose purchases
        # are all pending has no profit yet, only held costs, and is in no
        # tier (never Lead on costs alone) until its first invoice.
        cr.execute(
            SQL(
                """
            SELECT id, partner_id, %s, previous_tier_id FROM crm_value_snapshot
             WHERE company_id = %s AND is_current
               AND (lifetime_invoiced_count > 0 OR lifetime_revenue <> 0)
             ORDER BY id
            """,
                SQL.identifier(self._get_ranking_basis(company)),
                company.id,
            )
        )
        rows = cr.fetchall()
        tiers = self.env["crm.value.tier"]._get_company_tiers(company)
        profits = [row[2] for row in rows]
        won = assign_tiers(profits, [TierRule(t.rule_type, t.threshold) for t in tiers])
        classes = abc_classes(
            profits, company.value_abc_a_percent, company.value_abc_b_percent
        )
        Partner = self.env["res.partner"].with_company(company)
        current = self._get_partner_tiers(company, [row[1] for row in rows])
        locked = {pid: tier for pid, (tier, _abc, lock) in current.items() if lock}
        position = {tier.id: index for index, tier in enumerate(tiers)}
        assigned = []
        for (snapshot_id, pid, _profit, previous), index, abc in zip(
            rows, won, classes, strict=True
        ):
            tier_id = (
                locked[pid]
                if pid in locked
                else (tiers[index].id if index is not None else None)
            )
            assigned.append(
                (
                    snapshot_id,
                    pid,
                    tier_id,
                    abc,
                    self._tier_move(position, previous, tier_id),
                )
            )
        # Customers who fell out of the ranking (no history left) lose their tier.
        cr.execute(
            SQL(
                """
            UPDATE crm_value_snapshot SET tier_id = NULL, abc_class = NULL,
                   tier_move = CASE WHEN previous_tier_id IS NULL THEN NULL ELSE 'lost' END
             WHERE company_id = %s AND is_current AND id NOT IN %s
            RETURNING partner_id
            """,
                company.id,
                tuple(row[0] for row in assigned) or (0,),
            )
        )
        dropped = [row[0] for row in cr.fetchall()]
        if assigned:
            ids, _pids, tier_ids, abcs, moves = zip(*assigned, strict=True)
            rows = {
                "id": list(ids),
                "tier_id": list(tier_ids),
                "abc_class": list(abcs),
                "tier_move": list(moves),
            }
            cr.execute(
                SQL(
                    """
                UPDATE crm_value_snapshot s
                   SET tier_id = v.tier_id, abc_class = v.abc_class, tier_move = v.tier_move
                  FROM %s
                 WHERE s.id = v.id
                """,
                    unnest_rows(self.env["crm.value.snapshot"]._fields, rows),
                )
            )
        self.env["crm.value.snapshot"].invalidate_model()
        new_values = {pid: (tier, abc) for _sid, pid, tier, abc, _move in assigned}
        new_values.update({pid: (None, None) for pid in dropped})
        current.update(self._get_partner_tiers(company, dropped))
        self._write_partner_tiers(Partner, new_values, current)

    @api.model
    def _get_ranking_basis(self, company):
        """The snapshot column of the profit customers are ranked and scored
        on: over the analysis window or the whole history (Settings)."""
        if company.value_ranking_basis == "window":
            return "net_profit"
        return "lifetime_net_profit"

    @api.model
    def _get_partner_tiers(self, company, partner_ids):
        """{partner id: (tier id, ABC class, tier locked)} in `company`, read in
        one query: through the ORM, reading them would load every field of
        every customer of the company."""
        if not partner_ids:
            return {}
        self.env["res.partner"].flush_model(
            ["value_tier_id", "value_abc_class", "value_tier_locked"]
        )
        key = str(company.id)
        self.env.cr.execute(
            SQL(
                """
            SELECT id, (value_tier_id->>%(key)s)::int, value_abc_class->>%(key)s,
                   COALESCE((value_tier_locked->>%(key)s)::boolean, FALSE)
              FROM res_partner WHERE id = ANY(%(ids)s::int[])
            """,
                key=key,
                ids=array_literal(partner_ids),
            )
        )
        return {
            pid: (tier, abc, lock) for pid, tier, abc, lock in self.env.cr.fetchall()
        }

    @staticmethod
    def _tier_move(position, previous_id, tier_id):
        if previous_id == tier_id:
            return "same" if tier_id else None
        if not previous_id or previous_id not in position:
            return "new"
        if not tier_id:
            return "lost"
        return "up" if position[tier_id] < position[previous_id] else "down"

    @api.model
    def _write_partner_tiers(self, Partner, new_values, current=None):
        """Write only what changed, grouped by value, so the chatter tracks the
        tier moves without a write per partner. `current`: {partner id: (tier
        id, ABC class, locked)} as read by _get_partner_tiers."""
        if current is None:
            current = self._get_partner_tiers(Partner.env.company, list(new_values))
        by_tier, by_abc = defaultdict(list), defaultdict(list)
        for pid, (tier_id, abc) in new_values.items():
            old_tier, old_abc, _locked = current.get(pid, (None, None, False))
            if (old_tier or None) != (tier_id or None):
                by_tier[tier_id or False].append(pid)
            if (old_abc or None) != abc:
                by_abc[abc or False].append(pid)
        for tier_id, ids in by_tier.items():
            # One note per customer in the chatter, logged in bulk.
            Partner.browse(ids)._write_logging_tracking({"value_tier_id": tier_id})
        if Partner.env.company.value_apply_tier_pricelist:
            self._apply_tier_pricelists(Partner, by_tier)
        self._write_abc_classes(Partner, by_abc)

    @api.model
    def _write_abc_classes(self, Partner, partner_ids_by_class):
        """Set the company's ABC class of many partners in one UPDATE. The class
        is untracked and only the engine writes it: the ORM's write of 45,000
        partners took 20 s and 350 MB."""
        pairs = [
            (pid, abc or None)
            for abc, ids in partner_ids_by_class.items()
            for pid in ids
        ]
        if not pairs:
            return
        Partner.flush_model(["value_abc_class"])
        self.env.cr.execute(
            SQL(
                """
            UPDATE res_partner p
               SET value_abc_class = CASE
                   WHEN v.abc IS NULL THEN COALESCE(p.value_abc_class, '{}') - %(key)s
                   ELSE COALESCE(p.value_abc_class, '{}')
                        || jsonb_build_object(%(key)s, v.abc) END
              FROM unnest(%(ids)s::int4[], %(classes)s::varchar[]) AS v(id, abc)
             WHERE p.id = v.id
            """,
                key=str(Partner.env.company.id),
                ids=array_literal(pid for pid, _abc in pairs),
                classes=array_literal(abc for _pid, abc in pairs),
            )
        )
        Partner.invalidate_model(["value_abc_class"])

    @api.model
    def _apply_tier_pricelists(self, Partner, partner_ids_by_tier):
        """Give customers who changed tier their new tier's pricelist, unless a
        manager pinned the customer's pricelist."""
        Tier = self.env["crm.value.tier"]
        for tier_id, ids in partner_ids_by_tier.items():
            pricelist = Tier.browse(tier_id).pricelist_id
            partners = (
                Partner.browse(ids)
                .sudo()
                .filtered(lambda p: not p.value_pricelist_pinned)
            )
            if pricelist and partners:
                partners.write({"property_product_pricelist": pricelist.id})

    # ------------------------------------------------------------------
    # Scores over the whole company: RFM, CLV, value matrix and vector
    # ------------------------------------------------------------------
    @api.model
    def _refresh_company(self, company):
        """Everything computed over all the company's customers at once."""
        self._score_company(company)
        self._rank_company(company)

    @api.model
    def _score_company(self, company):
        """RFM scores and segments, P(alive), expected orders, lifetime value,
        value matrix and value vector of every current customer: one BG/NBD and
        one Gamma-Gamma fit per company, written to the current snapshots."""
        self.env.flush_all()
        cr, today = self.env.cr, company._get_value_today()
        # RFM monetary, the value matrix and the economic value read the
        # profit the pyramid ranks on; lifetime value, the profit of all time.
        cr.execute(
            SQL(
                """
            SELECT id, partner_id, first_sale_date, last_sale_date,
                   GREATEST(lifetime_order_count, 1), lifetime_invoiced_count,
                   %s, lifetime_net_profit
              FROM crm_value_snapshot
             WHERE company_id = %s AND is_current AND first_sale_date IS NOT NULL
             ORDER BY id
            """,
                SQL.identifier(self._get_ranking_basis(company)),
                company.id,
            )
        )
        rows = cr.fetchall()
        # Customers left without any sale (their invoices cancelled) have no
        # scores any more: none carried over from an earlier snapshot.
        cr.execute(
            SQL(
                """
            UPDATE crm_value_snapshot SET %s
             WHERE company_id = %s AND is_current AND first_sale_date IS NULL
               AND num_nonnulls(%s) > 0
            """,
                SQL(", ").join(
                    SQL("%s = NULL", SQL.identifier(name)) for name in SCORE_COLUMNS
                ),
                company.id,
                SQL(", ").join(SQL.identifier(name) for name in SCORE_COLUMNS),
            )
        )
        if not rows:
            self.env["crm.value.snapshot"].invalidate_model()
            return
        ids, partner_ids, first, last, purchases, invoiced, profit, lifetime_profit = (
            zip(*rows, strict=True)
        )
        purchases = np.array(purchases, dtype=float)
        # Profit counts the invoiced purchases only (matching): profit per
        # purchase is over those.
        invoiced = np.array([count or 0 for count in invoiced], dtype=float)
        profit = np.array(profit, dtype=float)
        lifetime_profit = np.array(lifetime_profit, dtype=float)
        recency_days = np.array([(today - day).days for day in last], dtype=float)
        scores = rfm.rfm_scores(np.maximum(recency_days, 0), purchases, profit)
        grid = self.env["crm.value.rfm.segment"]._get_grid()
        segments = [
            grid.get((int(r), int(f))) for r, f in zip(*scores[:2], strict=True)
        ]
        # BG/NBD convention, in days: repeat purchases, age at last, age now.
        frequency = purchases - 1
        age_at_last = np.array(
            [(b - a).days for a, b in zip(first, last, strict=True)], dtype=float
        )
        recency = np.where(frequency > 0, np.maximum(age_at_last, 0), 0.0)
        age = np.maximum(
            np.array([(today - a).days for a in first], dtype=float), recency
        )
        average = lifetime_profit / np.maximum(invoiced, 1)
        p_alive, expected, future = self._predict(
            company, frequency, recency, age, average, invoiced
        )
        rate = company.value_discount_rate / 100.0
        middle_age = (age - recency / 2) / clv.DAYS_PER_MONTH
        historical = clv.historical_value(
            lifetime_profit, np.maximum(middle_age, 0), rate
        )
        lifetime = historical + future
        quadrants = value_matrix.quadrants(profit, future, company.value_matrix_split)
        economic = value_matrix.percentile_scale(profit)
        breadth = self._get_categories_bought_by_partner(company, partner_ids)
        functional = value_matrix.percentile_scale(
            [breadth.get(p, 0) for p in partner_ids]
        )
        satisfaction = self._get_satisfaction_by_partner(company, partner_ids)
        psychological = np.array([satisfaction.get(p, 0.5) for p in partner_ids])
        score = value_matrix.value_score(economic, functional, psychological)
        deciles = value_matrix.deciles(lifetime)
        rows = {
            "id": list(ids),
            "rfm_recency": [int(x) for x in scores[0]],
            "rfm_frequency": [int(x) for x in scores[1]],
            "rfm_monetary": [int(x) for x in scores[2]],
            "rfm_segment_id": segments,
            "p_alive": [None if x is None else float(x) for x in p_alive],
            "expected_orders": [float(x) for x in expected],
            "clv_historical": [float(x) for x in historical],
            "clv_future": [float(x) for x in future],
            "clv": [float(x) for x in lifetime],
            "clv_decile": [int(x) for x in deciles],
            "quadrant": list(quadrants),
            "value_economic": [float(x) for x in economic],
            "value_functional": [float(x) for x in functional],
            "value_psychological": [float(x) for x in psychological],
            "value_score": [float(x) for x in score],
        }
        names = list(SCORE_COLUMNS)
        cr.execute(
            SQL(
                "UPDATE crm_value_snapshot s SET %s FROM %s WHERE s.id = v.id",
                SQL(", ").join(
                    SQL("%s = v.%s", SQL.identifier(name), SQL.identifier(name))
                    for name in names
                ),
                unnest_rows(self.env["crm.value.snapshot"]._fields, rows),
            )
        )
        self.env["crm.value.snapshot"].invalidate_model()

    @api.model
    def _predict(self, company, frequency, recency, age, average, invoiced):
        """P(alive), expected orders in 12 months and discounted future profit
        over the company's horizon. Without enough repeat buyers to fit the
        models, nothing is predicted (P(alive) unknown, no future profit).

        `frequency`, `recency`, `age`: every purchase (BG/NBD); `average`:
        profit per invoiced purchase, `invoiced` of them (Gamma-Gamma): a
        customer none of whose purchases is invoiced yet has no profit per
        order of its own and is expected the population's."""
        size = len(frequency)
        nothing = ([None] * size, np.zeros(size), np.zeros(size))
        if np.count_nonzero(frequency > 0) < 2:
            return nothing
        try:
            purchases_model = bgnbd.fit_bgnbd(frequency, recency, age)
        except ValueError as error:
            _logger.warning(
                "customer value: no BG/NBD fit for %s: %s", company.name, error
            )
            return nothing
        p_alive = purchases_model.p_alive(frequency, recency, age)
        expected = purchases_model.expected_purchases(365.25, frequency, recency, age)
        repeats = np.maximum(invoiced - 1, 0)
        repeat_profitable = (repeats > 0) & (average > 0)
        spend = average.copy()
        if np.count_nonzero(repeat_profitable) >= 2:
            spend_model = gamma_gamma.fit_gamma_gamma(
                repeats[repeat_profitable], average[repeat_profitable]
            )
            # The model shrinks a profitable customer's average toward the
            # population's (a one-off buyer, or one not invoiced yet, gets the
            # population's); customers who made no profit on what was
            # invoiced keep their own average, zero or a loss.
            shrunk = (average > 0) | (invoiced == 0)
            spend[shrunk] = spend_model.expected_spend(
                repeats[shrunk],
                np.where(repeats[shrunk] > 0, average[shrunk], 1.0),
            )
        months = company.value_clv_horizon_months
        monthly = clv.monthly_purchases(
            purchases_model, frequency, recency, age, months, clv.DAYS_PER_MONTH
        )
        rate = company.value_discount_rate / 100.0
        discount = (1.0 + rate) ** -np.arange(1, months + 1)
        return p_alive, expected, (discount @ monthly) * spend

    @api.model
    def _get_categories_bought_by_partner(self, company, partner_ids):
        """{partner id: number of product categories ever invoiced}: the
        breadth of what the customer relies on us for (functional value), as
        stored on the current snapshot (crm.value.figure.categories)."""
        return self.env["crm.value.snapshot"]._read_current(
            company, partner_ids, "categories_bought"
        )

    @api.model
    def _get_satisfaction_by_partner(self, company, partner_ids):
        """{partner id: satisfaction 0-1} for the psychological axis of the
        value vector, as stored on the current snapshot
        (crm.value.figure.satisfaction); customers left out count as neutral
        (0.5)."""
        return self.env["crm.value.snapshot"]._read_current(
            company, partner_ids, "satisfaction"
        )
