from odoo import api, fields, models
from odoo.tools import SQL

from ..figures import Figure, figure_source


@figure_source
class CrmValueFigureDeliveredCost(models.AbstractModel):
    """Cost of goods from the stock valuation of deliveries, matched to the
    revenue it earns; the rest held until invoiced."""

    _name = "crm.value.figure.delivered.cost"
    _inherit = "crm.value.figure.source"
    _description = "Customer Value Figures: Delivered Cost"
    _figure_sequence = 20
    # Adds to cogs and lifetime_cogs (crm.value.figure.invoiced).
    _figures = (
        Figure(
            "pending_cost",
            fields.Monetary,
            managers_only=True,
            merge="sum",
            snapshot={
                "aggregator": "sum",
                "help": "Costs held until the revenue they earn is invoiced: the "
                "cost of goods delivered and the handling of confirmed orders not "
                "invoiced yet. They enter the profit with their invoice.",
            },
            partner={
                "string": "Pending Cost",
                "help": "Costs held until the revenue they earn is invoiced: the "
                "cost of goods delivered and the handling of confirmed orders not "
                "invoiced yet. They enter the net profit with their invoice.",
            },
        ),
    )

    @api.model
    def _get_figures(self, scope):
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
        orders and pickings; for many (scope["whole_books"]), reading all the
        company's valuation layers once is cheaper."""
        moves, billed = SQL("TRUE"), SQL("TRUE")
        if not scope["whole_books"]:
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
                -- others are costed on the invoice, crm.value.figure.invoiced)
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
