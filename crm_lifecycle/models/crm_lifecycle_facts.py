import operator as py_operator
from collections import defaultdict, namedtuple

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.crm_value.sql_arrays import array_literal

from ..domain_paths import is_condition, path_end, subdomain_model

Fact = namedtuple("Fact", "kind column type")
# The facts of a customer that rules and people search: partner field ->
# (kind of facts, column of its query, "number" or "date").
FACTS = {
    "lifecycle_order_count": Fact("orders", "order_count", "number"),
    "lifecycle_first_order_date": Fact("orders", "first_order_date", "date"),
    "lifecycle_last_order_date": Fact("orders", "last_order_date", "date"),
    "lifecycle_order_interval": Fact("orders", "order_interval", "number"),
    "lifecycle_days_since_order": Fact("orders", "days_since_order", "number"),
    "lifecycle_open_lead_count": Fact("crm", "open_lead_count", "number"),
    "lifecycle_open_opportunity_count": Fact("crm", "open_opportunity_count", "number"),
}
FACT_KINDS = ("orders", "crm")
SQL_OPERATORS = {
    "=": ("=", py_operator.eq),
    "!=": ("<>", py_operator.ne),
    "<": ("<", py_operator.lt),
    "<=": ("<=", py_operator.le),
    ">": (">", py_operator.gt),
    ">=": (">=", py_operator.ge),
    "in": ("IN", lambda a, b: a in b),
    "not in": ("NOT IN", lambda a, b: a not in b),
}
# What the ORM must write before the facts of each kind are read in SQL.
LEAD_FIELDS = ("partner_id", "company_id", "type", "stage_id", "active", "probability")


class CrmLifecycleFacts(models.AbstractModel):
    """The facts of customers the lifecycle reads (their purchases, open leads
    and opportunities as of a day), in one place: the queries, the partner
    fields computed and searched from them, and the facts a move records.

    A set of facts is given as SQL by kind ({"orders": SQL, "crm": SQL}): the
    live queries of a company's day, those restricted to some customers, or
    the temporary tables an evaluation of many customers fills once."""

    _name = "crm.lifecycle.facts"
    _description = "Customer Lifecycle Facts"

    # ------------------------------------------------------------------
    # Queries
    # ------------------------------------------------------------------
    @api.model
    def _get_order_query(self, company, today):
        """SQL: per commercial partner, their purchases in `company` up to
        `today` (a confirmed order, or an invoice with no order: the value
        engine's one definition, crm.value.engine._get_purchases_query):
        count, first and last date, the moment of the last, usual days between
        two ((last - first) / (count - 1), 0 with one), days since the last."""
        return SQL(
            """
            SELECT partner_id,
                   COUNT(*) AS order_count,
                   MIN(purchased_at)::date AS first_order_date,
                   MAX(purchased_at)::date AS last_order_date,
                   MAX(purchased_at) AS last_order_at,
                   COALESCE(EXTRACT(EPOCH FROM MAX(purchased_at) - MIN(purchased_at))
                            / 86400.0 / NULLIF(COUNT(*) - 1, 0), 0) AS order_interval,
                   %(today)s::date - MAX(purchased_at)::date AS days_since_order
              FROM (%(purchases)s) purchases
             WHERE purchased_at < %(today)s::date + 1
             GROUP BY partner_id
            """,
            purchases=self.env["crm.value.engine"]._get_purchases_query(company),
            today=today,
        )

    @api.model
    def _get_crm_query(self, company, today):
        """SQL: per commercial partner, their open leads and open opportunities
        (active, not in a won stage) in `company` or in no company."""
        return SQL(
            """
            SELECT p.commercial_partner_id AS partner_id,
                   COUNT(*) FILTER (WHERE l.type = 'lead') AS open_lead_count,
                   COUNT(*) FILTER (WHERE l.type = 'opportunity') AS open_opportunity_count
              FROM crm_lead l
              JOIN res_partner p ON p.id = l.partner_id
              LEFT JOIN crm_stage s ON s.id = l.stage_id
             WHERE l.active AND NOT COALESCE(s.is_won, FALSE)
               AND COALESCE(l.probability, 0) < 100
               AND (l.company_id = %(company)s OR l.company_id IS NULL)
               AND l.create_date < %(today)s::date + 1
             GROUP BY p.commercial_partner_id
            """,
            company=company.id,
            today=today,
        )

    @api.model
    def _get_queries(self, company, today, partner_ids=None):
        """{kind: SQL} of the facts of `company`'s customers as of `today`,
        of these commercial partners only if `partner_ids` is given. The
        facts are read in SQL: pending order and lead changes are written
        first."""
        self.env["crm.value.engine"]._flush_purchases()
        self.env["crm.lead"].flush_model(LEAD_FIELDS)
        queries = {
            "orders": self._get_order_query(company, today),
            "crm": self._get_crm_query(company, today),
        }
        if partner_ids is None:
            return queries
        return {
            kind: self._restrict(query, partner_ids) for kind, query in queries.items()
        }

    @api.model
    def _restrict(self, query, partner_ids):
        """SQL: the rows of the facts `query` of these commercial partners."""
        return SQL(
            "SELECT * FROM (%s) facts WHERE partner_id = ANY(%s::int4[])",
            query,
            array_literal(partner_ids),
        )

    @api.model
    def _materialize(self, company, today):
        """{kind: SQL} reading the facts of all the company's customers from
        temporary tables filled once (dropped at commit): many searches on
        the facts read them rather than aggregate the orders again."""
        queries = {}
        for kind, query in self._get_queries(company, today).items():
            table = SQL.identifier(f"crm_lifecycle_{kind}_facts")
            self.env.cr.execute(SQL("DROP TABLE IF EXISTS %s", table))
            self.env.cr.execute(
                SQL("CREATE TEMPORARY TABLE %s ON COMMIT DROP AS %s", table, query)
            )
            self.env.cr.execute(SQL("ANALYZE %s", table))
            queries[kind] = SQL("SELECT * FROM %s", table)
        return queries

    @api.model
    def _read(self, query, partner_ids):
        """{partner id: row} of a facts query, for these commercial partners."""
        if not partner_ids:
            return {}
        self.env.cr.execute(self._restrict(query, partner_ids))
        return {row["partner_id"]: row for row in self.env.cr.dictfetchall()}

    @api.model
    def _get_order_facts(self, queries, partner_ids):
        """{partner id: order facts row} of these commercial partners, read
        from `queries` ({kind: SQL}); the usual interval as a float."""
        rows = self._read(queries["orders"], partner_ids)
        for row in rows.values():
            row["order_interval"] = float(row["order_interval"] or 0.0)
        return rows

    # ------------------------------------------------------------------
    # The partner's fact fields
    # ------------------------------------------------------------------
    @api.model
    def _get_field_values(self, company, partner_ids, today):
        """{commercial partner id: {FACTS field: value}} of these commercial
        partners in `company` as of `today`; any other partner (a new one, or
        one without facts) reads 0 and no date."""
        queries = self._get_queries(company, today)
        empty = {name: False if f.type == "date" else 0 for name, f in FACTS.items()}
        values = defaultdict(lambda: dict(empty))
        for kind in FACT_KINDS:
            for pid, row in self._read(queries[kind], partner_ids).items():
                for name, fact in FACTS.items():
                    if fact.kind == kind:
                        value = row[fact.column]
                        values[pid][name] = (
                            (value or False) if fact.type == "date" else value or 0
                        )
        return values

    @api.model
    def _search_domain(self, name, operator, value, query):
        """The domain on contacts of those (and their companies' contacts)
        whose fact `name` (a FACTS field) in the facts `query` matches. A
        customer with no order (or no lead) has 0 for numbers and no date."""
        fact = FACTS[name]
        if operator not in SQL_OPERATORS:
            raise UserError(
                self.env._(
                    "Search %(field)s with =, !=, <, <=, >, >=, in or not in.",
                    field=self.env["res.partner"]._fields[name].string,
                )
            )
        sql_operator, compare = SQL_OPERATORS[operator]
        column = SQL.identifier(fact.column)
        if operator in ("in", "not in"):
            values = [v for v in value if v is not False] if value else []
            empty_matches = compare(
                0 if fact.type == "number" else False, [v or 0 for v in value or []]
            )
            condition = (
                SQL("%s %s %s", column, SQL(sql_operator), tuple(values))
                if values
                else SQL("FALSE" if operator == "in" else "TRUE")
            )
        elif value is False or value is None:
            if fact.type == "date":
                # = False: no order; != False: some order.
                outer = "not in" if operator == "=" else "in"
                return [
                    (
                        "commercial_partner_id",
                        outer,
                        SQL("(SELECT partner_id FROM (%s) facts)", query),
                    )
                ]
            value, empty_matches = 0, compare(0, 0)
            condition = SQL("%s %s 0", column, SQL(sql_operator))
        else:
            empty_matches = fact.type == "number" and compare(0, value)
            condition = SQL("%s %s %s", column, SQL(sql_operator), value)
        if empty_matches:
            subquery = SQL(
                "(SELECT partner_id FROM (%s) facts WHERE NOT (%s))", query, condition
            )
            return [("commercial_partner_id", "not in", subquery)]
        subquery = SQL("(SELECT partner_id FROM (%s) facts WHERE %s)", query, condition)
        return [("commercial_partner_id", "in", subquery)]

    @api.model
    def _resolve_domain(self, domain, queries, model=None):
        """`domain` on `model` (contacts) with each condition on a fact
        searched in `queries` ({kind: SQL}), through relations and `any`
        too: the facts an evaluation gathered for its own day and customers,
        rather than those of the company's day that the fields search."""
        model = self.env["res.partner"] if model is None else model
        resolved = []
        for leaf in domain:
            if not is_condition(leaf):
                resolved.append(leaf)
                continue
            path, operator, value = leaf
            end = path_end(model, path)
            comodel = subdomain_model(model, leaf)
            if end and end[0]._name == "res.partner" and end[1].name in FACTS:
                name = end[1].name
                ((column, outer, subquery),) = self._search_domain(
                    name, operator, value, queries[FACTS[name].kind]
                )
                head = path.rpartition(".")[0]
                resolved.append(
                    (f"{head}.{column}" if head else column, outer, subquery)
                )
            elif comodel is not None:
                resolved.append(
                    (path, operator, self._resolve_domain(value, queries, comodel))
                )
            else:
                resolved.append(leaf)
        return resolved

    # ------------------------------------------------------------------
    # The facts of a move
    # ------------------------------------------------------------------
    @api.model
    def _get_reason_facts(self, company, partner_ids, order_facts):
        """{partner id: {REASON_FACTS name: value}}: the order facts of these
        commercial partners on the day of the evaluation (`order_facts`, from
        _get_order_facts) and their P(alive), the reason of their moves."""
        # P(alive) alone: the partner field is computed with all the public
        # figures.
        snapshots = (
            self.env["res.partner"]
            .with_company(company)
            .with_context(prefetch_fields=False)
            .browse(partner_ids)
            ._current_snapshots(["p_alive"])
        )
        reasons = {}
        for pid in partner_ids:
            row = order_facts.get(pid) or {}
            bought = bool(row.get("last_order_date"))
            reasons[pid] = {
                "last_order_date": row.get("last_order_date") or None,
                "days_since_order": row.get("days_since_order") if bought else None,
                "order_interval": (row.get("order_interval") or 0.0)
                if bought
                else None,
                "p_alive": snapshots[pid].get("p_alive") or None,
            }
        return reasons
