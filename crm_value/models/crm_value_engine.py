from odoo import api, models
from odoo.tools import SQL

from ..figures import merge_functions, merge_values
from ..sql_arrays import array_literal
from .crm_value_network import NETWORK_COLUMNS
from .crm_value_ranking import RANK_COLUMNS
from .crm_value_scorecard import SCORECARD_COLUMNS

# From this many customers at once, a figure query reads the company's books
# whole rather than finding each customer's documents by index
# (scope["whole_books"]).
WHOLE_BOOKS_FROM = 5000

# Columns the company's scoring writes (crm.value.scoring._score_rows), in
# one pass over all its current customers.
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
    # after the others (crm.value.scorecard._score_rows)
    *SCORECARD_COLUMNS,
)
# Carried from a customer's previous snapshot to a new one that holds only
# figures (_recompute_partners), until scoring and ranking rewrite them.
CARRIED_COLUMNS = (*SCORE_COLUMNS, *NETWORK_COLUMNS, "abc_class")


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
        queued by events: computed, scored and ranked at once per company,
        stored in batches, each batch committed."""
        queue = self.env["crm.value.queue"]
        for company, partner_ids, last_id, full in queue._get_runs(
            self._get_all_customers
        ):
            if partner_ids:
                self._recompute_queued(company, partner_ids, last_id, batch_size)
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
        (a lifecycle evaluation) is queued here, never on half-computed rows.
        Here: the tiers' relationship levels follow their new numbers, and
        credit limits, high-risk activities and terms follow the grades."""
        self.env["crm.value.tier"]._apply_relationship_proposals(company)
        self.env["crm.value.risk"]._on_risk_refreshed(company, partner_ids)

    @api.model
    def _recompute_queued(self, company, partner_ids, last_id, batch_size):
        """Compute the figures of all the company's queued customers at once,
        score and rank the company's customers on them, then store each queued
        customer's complete row `batch_size` customers at a time, each batch
        committed with its queue rows (up to `last_id`: customers queued again
        meanwhile stay queued for the next run, their figures may be stale);
        then the other customers' scores and tiers that moved (ranks are
        relative), and the partners' tiers.

        One pass of each figure query over all the queued customers lets the
        database join whole tables by hashing, where batches made it probe
        indexes for every batch. The figures are read in one transaction: one
        consistent state of the books. Each row is written once: a row updated
        again in the transaction that wrote it costs a new row version and a
        new check of each of its foreign keys."""
        self._tune_transaction()
        self.env.flush_all()  # the queries below read the database, not the cache
        figures = self._compute_figures(company, partner_ids)
        scoring, ranking = self.env["crm.value.scoring"], self.env["crm.value.ranking"]
        network = self.env["crm.value.network"]
        Snapshot = self.env["crm.value.snapshot"]
        rows = self._get_company_rows(
            company,
            figures,
            partner_ids,
            batch_size,
            (
                *network._get_network_inputs(company),
                *scoring._get_score_inputs(company),
                *ranking._get_rank_inputs(company),
            ),
        )
        # The network figures first: the profit ranked on may count them.
        # Scoring and ranking read them new; `rows` keeps what is stored, to
        # write the other rows that moved. The scorecard after the other
        # scores: an indicator may read this night's.
        new_values = network._network_rows(company, rows)
        inputs = {**rows, **new_values}
        new_values.update(scoring._score_rows(company, inputs))
        new_values.update(
            self.env["crm.value.scorecard"]._score_rows(company, inputs, new_values)
        )
        new_values.update(ranking._rank_rows(company, inputs))
        position = {pid: index for index, pid in enumerate(rows["partner_id"])}
        columns = (*self._get_declared_figures(), "previous_tier_id", *new_values)
        previous_tier = rows["previous_tier_id"]

        def store(batch):
            for pid in batch:
                index = position[pid]
                figures[pid]["previous_tier_id"] = previous_tier[index]
                for name, values in new_values.items():
                    figures[pid][name] = values[index]
            Snapshot._store_rows(
                company, {pid: figures.pop(pid) for pid in batch}, columns
            )

        self.env["crm.value.queue"]._store_in_batches(
            company, partner_ids, last_id, batch_size, store
        )
        self._tune_transaction()
        queued = set(partner_ids)
        Snapshot._update_changed(
            rows,
            new_values,
            [
                index
                for index, pid in enumerate(rows["partner_id"])
                if pid not in queued
            ],
        )
        ranking._write_partner_ranks(company, rows["partner_id"], new_values)

    @api.model
    def _get_company_rows(self, company, figures, partner_ids, batch_size, columns):
        """The company's current rows ({column: [value per row]}: id, partner_id,
        previous_tier_id, `columns` and what scoring and ranking write) as they
        will be once the queued customers' `figures` ({partner id: {figure
        name: value}}) are stored, `batch_size` of `partner_ids` at a time, in
        the order of their snapshot ids then (a new row has none yet: id
        None). The figures replace what the current rows hold."""
        written = (*SCORE_COLUMNS, *RANK_COLUMNS)
        current = self.env["crm.value.snapshot"]._read_current_rows(
            company, (*columns, *written, "date", "tier_id", "previous_tier_id")
        )
        today, ids, dates = company._get_value_today(), current["id"], current["date"]
        batch_of = {pid: index // batch_size for index, pid in enumerate(partner_ids)}
        found = set(current["partner_id"])
        # (sort key, index in `current` or None, partner id, row kept): today's
        # row is updated in place, another replaced by a new row whose id
        # comes after every existing one, in batch and customer order.
        order = [
            ((0, ids[index], 0), index, pid, True)
            if pid not in figures or dates[index] == today
            else ((1, batch_of[pid], pid), index, pid, False)
            for index, pid in enumerate(current["partner_id"])
        ]
        order.extend(
            ((1, batch_of[pid], pid), None, pid, False)
            for pid in partner_ids
            if pid not in found
        )
        order.sort()
        rows = {
            "id": [ids[index] if kept else None for _k, index, _p, kept in order],
            "partner_id": [pid for _k, _i, pid, _kept in order],
            # A new row's previous tier is the tier of the row it replaces.
            "previous_tier_id": [
                None
                if index is None
                else current["previous_tier_id" if kept else "tier_id"][index]
                for _k, index, _p, kept in order
            ],
        }
        for name in dict.fromkeys((*columns, *written)):
            if name in rows:
                continue
            values = current[name]
            rows[name] = [
                figures[pid][name]
                if pid in figures and name in figures[pid]
                else (None if index is None else values[index])
                for _k, index, pid, _kept in order
            ]
        return rows

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
            # In the figures' company: derived figures may read its settings.
            source.with_company(company)._derive_figures(figures)
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
    def _get_revenue_query(self, company=None, partner_array=None, columns=None):
        """SQL: one row per revenue line (partner_id: the commercial partner,
        invoice_date, revenue: untaxed, in company currency, negative on a
        credit note) of the customers in `company` (None: in every company),
        or only of the commercial partners in `partner_array` (an
        array_literal); `columns`, an SQL list of more columns over `l` (the
        line) and `m` (its move), comes after them.

        The one definition of revenue, read wherever a customer's spending
        is summed (the revenue figures, spend around a complaint): the
        product lines of posted customer invoices and credit notes."""
        conditions = [
            SQL("m.state = 'posted'"),
            SQL("m.move_type IN ('out_invoice', 'out_refund')"),
            SQL("l.display_type = 'product'"),
        ]
        if company is not None:
            conditions.append(SQL("m.company_id = %s", company.id))
        if partner_array is not None:
            conditions.append(
                SQL("m.commercial_partner_id = ANY(%s::int[])", partner_array)
            )
        return SQL(
            """
            SELECT m.commercial_partner_id AS partner_id, m.invoice_date,
                   -l.balance AS revenue%(columns)s
              FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id
             WHERE %(conditions)s
            """,
            columns=SQL(", %s", columns) if columns is not None else SQL(),
            conditions=SQL(" AND ").join(conditions),
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
