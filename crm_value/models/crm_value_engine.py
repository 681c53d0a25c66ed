from decimal import Decimal

from odoo import api, models
from odoo.tools import SQL

from ..sql_arrays import array_literal, unnest_rows

# Figures kept per customer, for the window and (prefixed lifetime_) all history.
SIDE_BY_SIDE = (
    "revenue",
    "cogs",
    "discount",
    "cost_to_serve",
    "net_profit",
    "margin_percent",
    "order_count",
)
# Figures coming from more than one source, added up.
ADDED_UP = ("cogs", "lifetime_cogs", "pending_cost")
# From this many customers at once, a figure query reads the company's books
# whole rather than finding each customer's documents by index.
WHOLE_BOOKS_FROM = 5000
MERGED_DATES = {"first_sale_date": min, "last_sale_date": max}
SNAPSHOT_COLUMNS = (
    *SIDE_BY_SIDE,
    *(f"lifetime_{name}" for name in SIDE_BY_SIDE),
    "first_sale_date",
    "last_sale_date",
    "overdue_amount",
    "avg_days_to_pay",
    "pending_cost",
    "to_invoice",
    "lifetime_invoiced_count",
)
# Counts by which the cost to serve is matched to revenue (handling cost per
# invoiced order, held for the others): figures computed, never stored.
ORDER_INVOICING = (
    "invoiced_order_count",
    "lifetime_invoiced_order_count",
    "pending_order_count",
)
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
                # transaction (6 s for the ranking at 100,000 customers).
                scoring, ranking = (
                    self.env["crm.value.scoring"],
                    self.env["crm.value.ranking"],
                )
                for step in (scoring._score_company, ranking._rank_company):
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
        database join whole tables by hashing; batches of 2,000 made it probe
        indexes for every batch, 10x slower than the floor at 100,000
        customers. The figures are read in one transaction: one consistent
        state of the books."""
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
        took longer than running them: 0.5 s of 0.55 s per query at 10,000
        customers), and room to sort and hash a company's books in memory
        rather than in temporary files."""
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
    def _compute_figures(self, company, partner_ids):
        """{partner id: {snapshot column: value}} for these commercial partners."""
        today, date_from = company._get_value_today(), company._get_value_window_start()
        scope = {
            "company": company.id,
            # For `= ANY(...)`: index lookups and hash joins where IN (...) would
            # be a linear filter per row; one array constant, not a list of
            # 100,000 values for the server to parse in each query (0.3 s).
            "partner_array": array_literal(partner_ids),
            "partner_count": len(partner_ids),
            "date_from": date_from,
            "today": today,
        }
        figures = {pid: dict.fromkeys(SNAPSHOT_COLUMNS, 0.0) for pid in partner_ids}
        for figure in figures.values():
            figure.update(
                dict.fromkeys(ORDER_INVOICING, 0),
                first_sale_date=None,
                last_sale_date=None,
                order_count=0,
                lifetime_order_count=0,
                lifetime_invoiced_count=0,
            )
        getters = (
            self._get_invoiced_by_partner,
            self._get_delivered_cost_by_partner,
            self._get_purchases_by_partner,
            self._get_payment_risk_by_partner,
        )
        for getter in getters:
            for pid, values in getter(scope).items():
                self._merge_figures(figures[pid], values)
        handling = company.value_handling_cost
        for figure in figures.values():
            # The handling of an order not invoiced yet is held with it.
            figure["pending_cost"] += handling * figure["pending_order_count"]
        for pid, (window, lifetime) in self._get_cost_to_serve_by_partner(
            company, figures, date_from
        ).items():
            figures[pid]["cost_to_serve"] += window
            figures[pid]["lifetime_cost_to_serve"] += lifetime
        for figure in figures.values():
            for prefix in ("", "lifetime_"):
                revenue = figure[f"{prefix}revenue"]
                net = (
                    revenue - figure[f"{prefix}cogs"] - figure[f"{prefix}cost_to_serve"]
                )
                figure[f"{prefix}net_profit"] = net
                figure[f"{prefix}margin_percent"] = (
                    100.0 * net / revenue if revenue else 0.0
                )
        return figures

    @staticmethod
    def _merge_figures(figure, values):
        """Merge one source's figures: cost of goods comes from two sources
        (valued stock, other lines) and adds up, so does the cost held until
        invoiced (goods delivered, orders handled); sale dates, earliest and
        latest."""
        for name, value in values.items():
            if value is None:
                continue
            if isinstance(value, Decimal):
                value = float(value)
            if name in ADDED_UP:
                value += figure[name]
            elif name in MERGED_DATES and figure[name]:
                value = MERGED_DATES[name](value, figure[name])
            figure[name] = value

    def _fetch_by_partner(self, query):
        self.env.cr.execute(query)
        return {row.pop("partner_id"): row for row in self.env.cr.dictfetchall()}

    @api.model
    def _get_invoiced_by_partner(self, scope):
        """Revenue and discounts from posted customer invoices and credit notes
        (product lines, untaxed, company currency through the balance), and the
        cost of invoiced lines whose product has no stock valuation (services,
        consumables): the sales order line cost times the invoiced quantity."""
        return self._fetch_by_partner(
            SQL(
                """
            SELECT m.commercial_partner_id AS partner_id,
                   SUM(-l.balance) FILTER (WHERE m.invoice_date >= %(date_from)s) AS revenue,
                   SUM(-l.balance) AS lifetime_revenue,
                   SUM(d.amount) FILTER (WHERE m.invoice_date >= %(date_from)s) AS discount,
                   SUM(d.amount) AS lifetime_discount,
                   SUM(k.sign * l.quantity * c.price / k.rate)
                       FILTER (WHERE m.invoice_date >= %(date_from)s) AS cogs,
                   SUM(k.sign * l.quantity * c.price / k.rate) AS lifetime_cogs
              FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id
              LEFT JOIN product_product pp ON pp.id = l.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
             CROSS JOIN LATERAL (
                   SELECT CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END AS sign,
                          COALESCE(NULLIF(m.invoice_currency_rate, 0), 1) AS rate
                   ) k
             CROSS JOIN LATERAL (
                   SELECT CASE
                          WHEN l.discount >= 100 THEN k.sign * l.price_unit * l.quantity / k.rate
                          WHEN l.discount > 0 THEN -l.balance * l.discount / (100 - l.discount)
                          ELSE 0 END AS amount
                   ) d
              LEFT JOIN LATERAL (
                   SELECT AVG(sol.purchase_price) AS price
                     FROM sale_order_line_invoice_rel r
                     JOIN sale_order_line sol ON sol.id = r.order_line_id
                    WHERE r.invoice_line_id = l.id
                      -- inside, not in ON: else it runs for every line
                      AND pp.id IS NOT NULL AND NOT COALESCE(pt.is_storable, FALSE)
                   ) c ON TRUE
             WHERE m.company_id = %(company)s AND m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund')
               AND l.display_type = 'product'
               AND m.commercial_partner_id = ANY(%(partner_array)s::int[])
             GROUP BY m.commercial_partner_id
            """,
                **scope,
            )
        )

    @api.model
    def _get_delivered_cost_by_partner(self, scope):
        """Cost of goods from the stock valuation of deliveries to the customer,
        less the valuation of their returns: the cost FIFO or average cost really
        consumed, never the COGS journal lines (same figure with or without
        Anglo-Saxon accounting). A move belongs to its order's customer, else
        to its picking's.

        The cost counts when the revenue it earns counts (matching): an order
        line's delivered cost is held (pending_cost) until it is invoiced:
        its posted invoice lines, in date order, less its credit notes, count
        the cost of as many of its delivered units, at the line's average
        delivered unit cost, on their invoice's date. Units invoiced before
        they are delivered take their cost once delivered, on their invoice's
        date. What is matched by a day is the quantity invoiced up to that
        day within 0 and the quantity delivered: the window counts what was
        matched since its start, so no invoice line is read one by one.
        Deliveries from no order line have no invoice to wait for: they count
        when done (those of a line returned in full, on its last move).

        For a few customers their moves are found by index, from their contacts'
        orders and pickings; for many, reading all the company's valuation
        layers once is cheaper (9.4 s against 2.5 s at 100,000 customers)."""
        moves, billed = SQL("TRUE"), SQL("TRUE")
        if scope["partner_count"] < WHOLE_BOOKS_FROM:
            # Their invoice lines by index too; for many, all the company's
            # invoice lines of an order line, joined by hashing.
            billed = SQL("r.order_line_id IN (SELECT sale_line_id FROM lines)")
            moves = SQL(
                """
            sm.id IN (
                WITH contacts AS (
                    SELECT p.id FROM res_partner p
                     WHERE p.commercial_partner_id = ANY(%(partner_array)s::int[])
                )
                SELECT sm.id FROM contacts c
                  JOIN sale_order so ON so.partner_id = c.id
                  JOIN sale_order_line sol ON sol.order_id = so.id
                  JOIN stock_move sm ON sm.sale_line_id = sol.id
                UNION
                SELECT sm.id FROM contacts c
                  JOIN stock_picking pk ON pk.partner_id = c.id
                  JOIN stock_move sm ON sm.picking_id = pk.id
            )
            """,
                **scope,
            )
        return self._fetch_by_partner(
            SQL(
                """
            WITH moves AS (
                SELECT COALESCE(op.commercial_partner_id, kp.commercial_partner_id)
                           AS partner_id,
                       sm.sale_line_id, sm.date, -svl.value AS value,
                       -svl.quantity AS quantity
                  FROM stock_move sm
                  JOIN stock_valuation_layer svl ON svl.stock_move_id = sm.id
                  JOIN stock_location src ON src.id = sm.location_id
                  JOIN stock_location dst ON dst.id = sm.location_dest_id
                  LEFT JOIN sale_order_line sol ON sol.id = sm.sale_line_id
                  LEFT JOIN sale_order so ON so.id = sol.order_id
                  LEFT JOIN res_partner op ON op.id = so.partner_id
                  LEFT JOIN stock_picking pk ON pk.id = sm.picking_id
                  LEFT JOIN res_partner kp ON kp.id = pk.partner_id
                 WHERE %(moves)s AND svl.company_id = %(company)s
                   AND (dst.usage = 'customer') <> (src.usage = 'customer')
                   AND COALESCE(op.commercial_partner_id, kp.commercial_partner_id)
                       = ANY(%(partner_array)s::int[])
            ), lines AS (
                -- each order line delivered: its valuation and quantity
                -- (product unit), net of returns, and its last move
                SELECT sale_line_id, partner_id, SUM(value) AS value,
                       SUM(quantity) AS quantity, MAX(date) AS date
                  FROM moves WHERE sale_line_id IS NOT NULL
                 GROUP BY 1, 2
            ), invoiced AS (
                -- the quantity (product unit) of order lines of valued goods
                -- invoiced less credited, in all and before the window (the
                -- others are costed on the invoice, _get_invoiced_by_partner)
                SELECT r.order_line_id AS sale_line_id, SUM(q.quantity) AS quantity,
                       COALESCE(SUM(q.quantity)
                                FILTER (WHERE m.invoice_date < %(date_from)s), 0) AS before
                  FROM sale_order_line_invoice_rel r
                  JOIN account_move_line l ON l.id = r.invoice_line_id
                  JOIN account_move m ON m.id = l.move_id
                  JOIN product_product pp ON pp.id = l.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN uom_uom pu ON pu.id = pt.uom_id
                  LEFT JOIN uom_uom lu ON lu.id = l.product_uom_id
                 CROSS JOIN LATERAL (
                       SELECT CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END
                              * l.quantity * COALESCE(pu.factor / NULLIF(lu.factor, 0), 1)
                              AS quantity
                       ) q
                 WHERE %(billed)s AND m.company_id = %(company)s
                   AND m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
                   AND l.display_type = 'product' AND pt.is_storable
                 GROUP BY 1
            ), matched AS (
                -- invoice lines in date order each take the cost of the next
                -- delivered units: what is matched by a day is the invoiced
                -- quantity up to that day, within 0 and the delivered one
                SELECT li.partner_id, li.value / li.quantity AS unit,
                       li.quantity AS delivered,
                       LEAST(GREATEST(COALESCE(i.quantity, 0), 0), li.quantity)
                           AS upto_now,
                       LEAST(GREATEST(COALESCE(i.before, 0), 0), li.quantity)
                           AS upto_window
                  FROM lines li
                  LEFT JOIN invoiced i ON i.sale_line_id = li.sale_line_id
                 WHERE li.quantity > 0
            ), costs AS (
                -- the deliveries of no order line: counted when done; of a
                -- line returned in full: on its last move
                SELECT partner_id, date >= %(date_from)s AS recent, value AS cost,
                       value AS lifetime_cost, 0 AS held
                  FROM moves WHERE sale_line_id IS NULL
                UNION ALL
                SELECT partner_id, date >= %(date_from)s, value, value, 0
                  FROM lines WHERE quantity <= 0
                UNION ALL
                -- an order line's delivered cost: what its invoices match
                -- counts (in the window: matched since its start), the rest
                -- is held
                SELECT partner_id, TRUE, unit * (upto_now - upto_window),
                       unit * upto_now, unit * (delivered - upto_now)
                  FROM matched
            )
            SELECT partner_id, SUM(cost) FILTER (WHERE recent) AS cogs,
                   SUM(lifetime_cost) AS lifetime_cogs, SUM(held) AS pending_cost
              FROM costs
             GROUP BY 1
            """,
                moves=moves,
                billed=billed,
                **scope,
            )
        )

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

    @api.model
    def _get_purchases_by_partner(self, scope):
        """Purchases (_get_purchases_query): count in the window and ever,
        first and last; how many are invoiced (an invoice, or an order with a
        posted invoice); the orders invoiced, by the date of their first
        invoice, and those not invoiced yet, whose handling cost is held; the
        confirmed orders' amount still to invoice (Odoo's untaxed amount to
        invoice of their lines, in company currency)."""
        return self._fetch_by_partner(
            SQL(
                """
            WITH purchases AS (%(purchases)s),
            invoiced AS (
                SELECT b.order_id, MIN(m.invoice_date) AS invoiced_on
                  FROM purchases b
                  JOIN sale_order_line sol ON sol.order_id = b.order_id
                  JOIN sale_order_line_invoice_rel r ON r.order_line_id = sol.id
                  JOIN account_move_line l ON l.id = r.invoice_line_id
                  JOIN account_move m ON m.id = l.move_id
                 WHERE m.state = 'posted' AND m.move_type = 'out_invoice'
                 GROUP BY 1
            ), to_invoice AS (
                SELECT b.order_id,
                       SUM(sol.untaxed_amount_to_invoice
                           / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS to_invoice
                  FROM purchases b
                  JOIN sale_order so ON so.id = b.order_id
                  JOIN sale_order_line sol ON sol.order_id = so.id
                 WHERE sol.untaxed_amount_to_invoice <> 0
                 GROUP BY 1
            )
            SELECT b.partner_id,
                   COUNT(*) FILTER (WHERE b.purchased_at >= %(date_from)s) AS order_count,
                   COUNT(*) AS lifetime_order_count,
                   COUNT(*) FILTER (WHERE b.order_id IS NULL OR i.invoiced_on IS NOT NULL)
                       AS lifetime_invoiced_count,
                   COUNT(*) FILTER (WHERE i.invoiced_on >= %(date_from)s)
                       AS invoiced_order_count,
                   COUNT(i.invoiced_on) AS lifetime_invoiced_order_count,
                   COUNT(*) FILTER (WHERE b.order_id IS NOT NULL AND i.invoiced_on IS NULL)
                       AS pending_order_count,
                   MIN(b.purchased_at)::date AS first_sale_date,
                   MAX(b.purchased_at)::date AS last_sale_date,
                   SUM(t.to_invoice) AS to_invoice
              FROM purchases b
              LEFT JOIN invoiced i ON i.order_id = b.order_id
              LEFT JOIN to_invoice t ON t.order_id = b.order_id
             GROUP BY 1
            """,
                purchases=self._get_purchases_query(
                    self.env["res.company"].browse(scope["company"]),
                    scope["partner_array"],
                ),
                **scope,
            )
        )

    @api.model
    def _get_payment_risk_by_partner(self, scope):
        """Open receivable past due, and the amount-weighted days from invoice
        date to full payment of the invoices paid in the window."""
        overdue = self._fetch_by_partner(
            SQL(
                """
            SELECT p.commercial_partner_id AS partner_id,
                   SUM(l.amount_residual) AS overdue_amount
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
              JOIN res_partner p ON p.id = l.partner_id
             WHERE l.company_id = %(company)s AND l.parent_state = 'posted'
               AND a.account_type = 'asset_receivable' AND NOT l.reconciled
               AND l.date_maturity < %(today)s AND l.amount_residual > 0
               AND p.commercial_partner_id = ANY(%(partner_array)s::int[])
             GROUP BY 1
            """,
                **scope,
            )
        )
        # The date each invoice was paid in full: its last reconciliation.
        # For a few customers, by index from their invoices; for many, from
        # the window's reconciliations at once (2.1 -> 1.2 s at 100,000
        # customers): a reconciliation's date is the later of its two lines',
        # never before the invoice's accounting date, so within the window.
        if scope["partner_count"] < WHOLE_BOOKS_FROM:
            paid_on = SQL(
                """
             CROSS JOIN LATERAL (
                   SELECT MAX(apr.max_date) AS paid_on
                     FROM account_move_line rl
                     JOIN account_account a ON a.id = rl.account_id
                     JOIN account_partial_reconcile apr ON apr.debit_move_id = rl.id
                    WHERE rl.move_id = m.id AND a.account_type = 'asset_receivable'
                   ) pay
                """
            )
        else:
            paid_on = SQL(
                """
              JOIN (
                   SELECT rl.move_id, MAX(apr.max_date) AS paid_on
                     FROM account_partial_reconcile apr
                     JOIN account_move_line rl ON rl.id = apr.debit_move_id
                     JOIN account_account a ON a.id = rl.account_id
                    WHERE a.account_type = 'asset_receivable'
                      AND apr.max_date >= %(date_from)s
                    GROUP BY rl.move_id
                   ) pay ON pay.move_id = m.id
                """,
                **scope,
            )
        paid = self._fetch_by_partner(
            SQL(
                """
            SELECT m.commercial_partner_id AS partner_id,
                   SUM(m.amount_total_signed * (pay.paid_on - m.invoice_date))
                     / NULLIF(SUM(m.amount_total_signed), 0) AS avg_days_to_pay
              FROM account_move m
              %(paid_on)s
             WHERE m.company_id = %(company)s AND m.state = 'posted'
               AND m.move_type = 'out_invoice' AND m.payment_state IN ('paid', 'in_payment')
               AND m.invoice_date >= %(date_from)s AND pay.paid_on IS NOT NULL
               AND m.commercial_partner_id = ANY(%(partner_array)s::int[])
             GROUP BY 1
            """,
                paid_on=paid_on,
                **scope,
            )
        )
        for pid, values in paid.items():
            overdue.setdefault(pid, {}).update(values)
        return overdue

    @api.model
    def _get_cost_to_serve_by_partner(self, company, figures, date_from):
        """{partner id: (window cost, lifetime cost)} of serving each customer.

        `figures` holds the figures computed so far, by partner id. Here: the
        company's handling cost per confirmed order, counted once the order
        is invoiced (on its first invoice's date: held until then, see
        _compute_figures), plus the cost of each completed activity by type
        on the customer and its orders. Extend it (call super and add) to
        count other costs, e.g. complaints.
        """
        handling = company.value_handling_cost
        costs = {
            pid: (
                handling * figure["invoiced_order_count"],
                handling * figure["lifetime_invoiced_order_count"],
            )
            for pid, figure in figures.items()
        }
        self.env.cr.execute(
            SQL(
                """
            WITH contacts AS (
                SELECT p.id, p.commercial_partner_id FROM res_partner p
                 WHERE p.commercial_partner_id = ANY(%(partners)s::int[])
            ), done AS (
                -- activities done on the customer's contacts, and on their orders
                SELECT c.commercial_partner_id, msg.mail_activity_type_id, msg.date
                  FROM contacts c
                  JOIN mail_message msg ON msg.model = 'res.partner' AND msg.res_id = c.id
                 WHERE msg.mail_activity_type_id IS NOT NULL
                   AND (msg.record_company_id = %(company)s
                        OR msg.record_company_id IS NULL)
                UNION ALL
                SELECT c.commercial_partner_id, msg.mail_activity_type_id, msg.date
                  FROM contacts c
                  JOIN sale_order so ON so.partner_id = c.id
                  JOIN mail_message msg ON msg.model = 'sale.order' AND msg.res_id = so.id
                 WHERE msg.mail_activity_type_id IS NOT NULL
                   AND msg.record_company_id = %(company)s
            )
            SELECT done.commercial_partner_id,
                   COALESCE(SUM(t.value_cost) FILTER (WHERE done.date >= %(date_from)s), 0),
                   SUM(t.value_cost)
              FROM done
              JOIN mail_activity_type t ON t.id = done.mail_activity_type_id
             WHERE t.value_cost <> 0
             GROUP BY 1
            """,
                company=company.id,
                date_from=date_from,
                partners=array_literal(figures),
            )
        )
        for pid, window, lifetime in self.env.cr.fetchall():
            handling_window, handling_lifetime = costs[pid]
            costs[pid] = (handling_window + window, handling_lifetime + lifetime)
        return costs

    # ------------------------------------------------------------------
    # Snapshots and ranking
    # ------------------------------------------------------------------
    @api.model
    def _write_snapshots(self, company, figures):
        """Today's snapshot row per customer (updated if one exists today), the
        one current row of the customer in the company.

        A new row carries over the tier, ABC class and scores of the row it
        replaces until the run's scoring and ranking rewrite them: a customer
        stored by a run that stops before scoring is never left without its
        P(alive), RFM, value matrix or score."""
        cr, today, partner_ids = self.env.cr, company._get_value_today(), list(figures)
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
        rows = {
            "partner_id": partner_ids,
            "previous_id": [previous.get(pid) for pid in partner_ids],
        }
        rows.update(
            (name, [figures[pid][name] for pid in partner_ids])
            for name in SNAPSHOT_COLUMNS
        )
        updates = SQL(", ").join(
            SQL("%s = EXCLUDED.%s", SQL.identifier(name), SQL.identifier(name))
            for name in (*SNAPSHOT_COLUMNS, "user_id", "country_id", "write_date")
        )
        snapshot_fields = dict(
            self.env["crm.value.snapshot"]._fields,
            previous_id=self.env["crm.value.snapshot"]._fields["id"],
        )
        cr.execute(
            SQL(
                """
            INSERT INTO crm_value_snapshot (partner_id, company_id, date, is_current,
                   user_id, country_id, tier_id, previous_tier_id, create_uid,
                   write_uid, create_date, write_date, %(columns)s, %(carried)s)
            SELECT v.partner_id, %(company)s, %(today)s, TRUE, p.user_id, p.country_id,
                   prev.tier_id, prev.tier_id, %(uid)s, %(uid)s, now() at time zone 'UTC',
                   now() at time zone 'UTC', %(values)s, %(carried_values)s
              FROM %(rows)s
              JOIN res_partner p ON p.id = v.partner_id
              LEFT JOIN crm_value_snapshot prev ON prev.id = v.previous_id
             -- ids in customer order whatever the join: the ranking breaks
             -- ties of profit by snapshot id
             ORDER BY v.partner_id
            ON CONFLICT (partner_id, company_id, date) DO UPDATE
               SET is_current = TRUE, %(updates)s
            """,
                columns=SQL(", ").join(SQL.identifier(n) for n in SNAPSHOT_COLUMNS),
                carried=SQL(", ").join(SQL.identifier(n) for n in CARRIED_COLUMNS),
                company=company.id,
                today=today,
                uid=self.env.uid,
                values=SQL(", ").join(
                    SQL("v.%s", SQL.identifier(n)) for n in SNAPSHOT_COLUMNS
                ),
                carried_values=SQL(", ").join(
                    SQL("prev.%s", SQL.identifier(n)) for n in CARRIED_COLUMNS
                ),
                rows=unnest_rows(snapshot_fields, rows),
                updates=updates,
            )
        )
        self.env["crm.value.snapshot"].invalidate_model()

    # ------------------------------------------------------------------
    # Figures the scoring (crm.value.scoring) reads
    # ------------------------------------------------------------------
    @api.model
    def _get_categories_bought_by_partner(self, company, partner_ids):
        """{partner id: number of product categories ever invoiced}: the
        breadth of what the customer relies on us for (functional value)."""
        self.env.cr.execute(
            SQL(
                """
            SELECT partner_id, COUNT(*) FROM (
                -- distinct pairs first: hashed, where COUNT(DISTINCT) sorts
                SELECT DISTINCT m.commercial_partner_id AS partner_id, pt.categ_id
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                  JOIN product_product pp ON pp.id = l.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE m.company_id = %s AND m.state = 'posted'
                   AND m.move_type = 'out_invoice' AND l.display_type = 'product'
                   AND m.commercial_partner_id = ANY(%s::int[])
            ) bought
             GROUP BY 1
            """,
                company.id,
                array_literal(partner_ids),
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _get_satisfaction_by_partner(self, company, partner_ids):
        """{partner id: satisfaction 0-1} for the psychological axis of the
        value vector; customers left out count as neutral (0.5). Extended by
        the addon that surveys satisfaction."""
        return {}
