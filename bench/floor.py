"""The floor: per-customer revenue, cost of goods, cost to serve, net profit,
the costs held until invoiced and the expected bad debt by one hand-written
aggregate, written
back by one bulk UPDATE.

It reads what the engine reads, with none of its generality (batches, merge
of sources, hooks), so its time is what the database alone needs."""

FIGURES = (
    "revenue",
    "lifetime_revenue",
    "cogs",
    "lifetime_cogs",
    "cost_to_serve",
    "lifetime_cost_to_serve",
    "net_profit",
    "lifetime_net_profit",
    "pending_cost",
    "expected_bad_debt",
)

FLOOR_UPDATE = """
WITH invoiced AS (
    SELECT m.commercial_partner_id AS pid,
           SUM(-l.balance) FILTER (WHERE m.invoice_date >= %(date_from)s) AS revenue,
           SUM(-l.balance) AS lifetime_revenue,
           SUM(c.cost * l.quantity
               * CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END)
               FILTER (WHERE m.invoice_date >= %(date_from)s) AS cogs,
           SUM(c.cost * l.quantity
               * CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END)
               AS lifetime_cogs
      FROM account_move_line l
      JOIN account_move m ON m.id = l.move_id
      LEFT JOIN product_product pp ON pp.id = l.product_id
      LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
      LEFT JOIN (SELECT r.invoice_line_id, AVG(sol.purchase_price) AS cost
                   FROM sale_order_line_invoice_rel r
                   JOIN sale_order_line sol ON sol.id = r.order_line_id
                  GROUP BY 1) c
             ON c.invoice_line_id = l.id AND NOT COALESCE(pt.is_storable, FALSE)
     WHERE m.company_id = %(company)s AND m.state = 'posted'
       AND m.move_type IN ('out_invoice', 'out_refund')
       AND l.display_type = 'product'
     GROUP BY 1
), moves AS (
    SELECT p.commercial_partner_id AS pid, sm.sale_line_id, sm.date,
           -svl.value AS value, -svl.quantity AS qty
      FROM stock_valuation_layer svl
      JOIN stock_move sm ON sm.id = svl.stock_move_id
      JOIN stock_location src ON src.id = sm.location_id
      JOIN stock_location dst ON dst.id = sm.location_dest_id
      JOIN stock_picking pk ON pk.id = sm.picking_id
      JOIN res_partner p ON p.id = pk.partner_id
     WHERE svl.company_id = %(company)s
       AND (dst.usage = 'customer') <> (src.usage = 'customer')
), lines AS (
    -- an order line's delivered cost and quantity, net of returns
    SELECT sale_line_id, pid, SUM(value) AS value, SUM(qty) AS qty,
           MAX(date) AS date
      FROM moves WHERE sale_line_id IS NOT NULL GROUP BY 1, 2
), billed AS (
    -- its invoice lines in order (one unit of measure in generated data)
    SELECT r.order_line_id AS sale_line_id, m.invoice_date,
           l.quantity * CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END AS qty,
           SUM(l.quantity * CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END)
               OVER (PARTITION BY r.order_line_id ORDER BY m.invoice_date, l.id) AS upto
      FROM sale_order_line_invoice_rel r
      JOIN account_move_line l ON l.id = r.invoice_line_id
      JOIN account_move m ON m.id = l.move_id
     WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
       AND l.display_type = 'product'
), delivered AS (
    -- the cost of the delivered units invoiced, on the invoice's date; the
    -- rest held; deliveries of no order line when done, of a line returned
    -- in full on its last move
    SELECT pid, SUM(cost) FILTER (WHERE day >= %(date_from)s) AS cogs,
           SUM(cost) AS lifetime_cogs, SUM(held) AS held
      FROM (
        SELECT pid, date AS day, value AS cost, 0 AS held
          FROM moves WHERE sale_line_id IS NULL
        UNION ALL
        SELECT pid, date, value, 0 FROM lines WHERE qty <= 0
        UNION ALL
        SELECT pid, invoice_date, cost, -cost FROM (
            SELECT li.pid, b.invoice_date,
                   (LEAST(GREATEST(b.upto, 0), li.qty)
                    - LEAST(GREATEST(b.upto - b.qty, 0), li.qty)) * li.value / li.qty
                   AS cost
              FROM billed b JOIN lines li ON li.sale_line_id = b.sale_line_id
             WHERE li.qty > 0
        ) matched
        UNION ALL
        SELECT pid, NULL, 0, value FROM lines WHERE qty > 0
      ) costs
     GROUP BY 1
), first_invoiced AS (
    SELECT sol.order_id, MIN(m.invoice_date) AS day
      FROM sale_order_line sol
      JOIN sale_order_line_invoice_rel r ON r.order_line_id = sol.id
      JOIN account_move_line l ON l.id = r.invoice_line_id
      JOIN account_move m ON m.id = l.move_id
     WHERE m.state = 'posted' AND m.move_type = 'out_invoice'
     GROUP BY 1
), ordered AS (
    -- handling counted from the order's first invoice, held before
    SELECT p.commercial_partner_id AS pid,
           COUNT(*) FILTER (WHERE f.day >= %(date_from)s) * %(handling)s AS cost,
           COUNT(f.day) * %(handling)s AS lifetime_cost,
           COUNT(*) FILTER (WHERE f.day IS NULL) * %(handling)s AS held
      FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
      LEFT JOIN first_invoiced f ON f.order_id = so.id
     WHERE so.company_id = %(company)s AND so.state = 'sale'
     GROUP BY 1
), served AS (
    SELECT p.commercial_partner_id AS pid,
           SUM(t.value_cost) FILTER (WHERE msg.date >= %(date_from)s) AS cost,
           SUM(t.value_cost) AS lifetime_cost
      FROM mail_message msg
      JOIN mail_activity_type t ON t.id = msg.mail_activity_type_id
      LEFT JOIN sale_order so ON msg.model = 'sale.order' AND so.id = msg.res_id
      JOIN res_partner p ON p.id = CASE WHEN msg.model = 'res.partner'
                                        THEN msg.res_id ELSE so.partner_id END
     WHERE msg.model IN ('res.partner', 'sale.order') AND t.value_cost <> 0
     GROUP BY 1
), aged AS (
    -- open receivable times the loss rate of its age bucket
    SELECT p.commercial_partner_id AS pid,
           SUM(l.amount_residual * CASE
               WHEN l.date_maturity >= %(today)s THEN co.value_risk_loss_not_due
               WHEN %(today)s - l.date_maturity <= co.value_risk_bucket_1_days
                    THEN co.value_risk_loss_1
               WHEN %(today)s - l.date_maturity <= co.value_risk_bucket_2_days
                    THEN co.value_risk_loss_2
               WHEN %(today)s - l.date_maturity <= co.value_risk_bucket_3_days
                    THEN co.value_risk_loss_3
               ELSE co.value_risk_loss_4 END) / 100 AS bad_debt
      FROM account_move_line l
      JOIN account_account a ON a.id = l.account_id
      JOIN res_partner p ON p.id = l.partner_id
      JOIN res_company co ON co.id = l.company_id
     WHERE l.company_id = %(company)s AND l.parent_state = 'posted'
       AND a.account_type = 'asset_receivable' AND NOT l.reconciled
       AND l.amount_residual > 0
     GROUP BY 1
), floor AS (
    SELECT s.id,
           COALESCE(i.revenue, 0) AS revenue,
           COALESCE(i.lifetime_revenue, 0) AS lifetime_revenue,
           COALESCE(i.cogs, 0) + COALESCE(d.cogs, 0) AS cogs,
           COALESCE(i.lifetime_cogs, 0) + COALESCE(d.lifetime_cogs, 0) AS lifetime_cogs,
           COALESCE(o.cost, 0) + COALESCE(v.cost, 0) AS cost_to_serve,
           COALESCE(o.lifetime_cost, 0) + COALESCE(v.lifetime_cost, 0)
               AS lifetime_cost_to_serve,
           COALESCE(d.held, 0) + COALESCE(o.held, 0) AS pending_cost,
           COALESCE(ag.bad_debt, 0) AS expected_bad_debt
      FROM crm_value_snapshot s
      LEFT JOIN invoiced i ON i.pid = s.partner_id
      LEFT JOIN delivered d ON d.pid = s.partner_id
      LEFT JOIN ordered o ON o.pid = s.partner_id
      LEFT JOIN served v ON v.pid = s.partner_id
      LEFT JOIN aged ag ON ag.pid = s.partner_id
     WHERE s.company_id = %(company)s AND s.is_current
)
UPDATE crm_value_snapshot s
   SET revenue = f.revenue, lifetime_revenue = f.lifetime_revenue,
       cogs = f.cogs, lifetime_cogs = f.lifetime_cogs,
       cost_to_serve = f.cost_to_serve, pending_cost = f.pending_cost,
       lifetime_cost_to_serve = f.lifetime_cost_to_serve,
       expected_bad_debt = f.expected_bad_debt,
       net_profit = f.revenue - f.cogs - f.cost_to_serve,
       lifetime_net_profit = f.lifetime_revenue - f.lifetime_cogs
                             - f.lifetime_cost_to_serve
  FROM floor f
 WHERE s.id = f.id
"""

KEEP_ENGINE = f"""
CREATE TEMP TABLE bench_engine_figures ON COMMIT DROP AS
SELECT id, {", ".join(FIGURES)} FROM crm_value_snapshot
 WHERE company_id = %(company)s AND is_current
"""

COMPARE = f"""
SELECT COUNT(*),
       COUNT(*) FILTER (WHERE {" OR ".join(f"abs(s.{n} - e.{n}) > 0.005" for n in FIGURES)}),
       {", ".join(f"MAX(abs(s.{n} - e.{n}))" for n in FIGURES)},
       SUM(s.lifetime_revenue), SUM(s.lifetime_cogs), SUM(s.lifetime_net_profit)
  FROM crm_value_snapshot s JOIN bench_engine_figures e ON e.id = s.id
"""
