import logging
from collections import defaultdict
from datetime import datetime, time

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from odoo.addons.crm_value.models.crm_value_engine import WHOLE_BOOKS_FROM
from odoo.addons.crm_value.sql_arrays import array_literal

from ..rule_conditions import recency_met

_logger = logging.getLogger(__name__)


class CrmLifecycleEngine(models.AbstractModel):
    """Moves customers between lifecycle stages by the rules, many at a time.

    For the customers of one company: one query for their order facts, one
    search per rule's domain over all of them, then the rules are tried in
    memory; the moves are stored with one update and one insert per batch, and
    the partners written once per stage they end in.
    """

    _name = "crm.lifecycle.engine"
    _description = "Customer Lifecycle Engine"

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------
    @api.model
    def _cron_evaluate_lifecycle(self, batch_size=2000):
        """Once a day every customer of each company, otherwise the customers
        queued by events: moves decided at once per company, stored in
        batches, each batch committed."""
        queue = self.env["crm.lifecycle.queue"]
        # Emails the moves cause (activities assigned by care plans) go through
        # the mail queue, as for Odoo's server actions, not sent one by one.
        engine = self.with_context(mail_notify_force_send=False)
        for company, partner_ids, last_id, full in queue._get_runs(
            self._get_all_customers
        ):
            if partner_ids:
                # A company's first evaluation classifies the customers it
                # already has: they are not entering their stage, so no warning
                # and no care plan (tens of thousands of activities at once for
                # a large base). From then on, every stage entered starts them.
                engine._evaluate_queued(
                    company,
                    partner_ids,
                    last_id,
                    batch_size,
                    initial=not company.lifecycle_last_full_evaluation,
                )
            if full:
                queue._mark_full_pass_done(company)

    @api.model
    def _evaluate_queued(
        self, company, partner_ids, last_id, batch_size, initial=False
    ):
        """Decide the moves of all the company's queued customers at once (one
        facts query, one search per rule: the database joins whole tables
        rather than probing indexes batch after batch), then store them
        `batch_size` customers at a time, each batch committed with its queue
        rows (up to `last_id`: customers queued again meanwhile stay queued).
        `initial`: the company's first evaluation, which classifies the
        customers it has (no warning, nobody enters a stage)."""
        self.env["crm.value.engine"]._tune_transaction()
        today = company._get_value_today()
        now = fields.Datetime.now()
        moves, facts = self._plan_moves(company, partner_ids, today, now)
        self.env["crm.lifecycle.queue"]._store_in_batches(
            company,
            partner_ids,
            last_id,
            batch_size,
            lambda batch: self._apply_moves(
                company,
                {pid: moves[pid] for pid in batch if pid in moves},
                facts,
                today,
                now,
                initial=initial,
            ),
        )

    @api.model
    def _evaluate_partners(self, company, partner_ids, today=None):
        """Apply the rules to these commercial partners in `company`, as of
        `today` (default: now). Returns {partner id: stage} of those moved."""
        now = (
            fields.Datetime.now()
            if today is None
            else datetime.combine(today, time(12))
        )
        current = company._get_value_today()
        # A warning describes the customer on the day it is raised: an
        # evaluation of another day (a replay of the history) raises none.
        warn = not today or today == current
        today = today or current
        moves, facts = self._plan_moves(company, partner_ids, today, now)
        return self._apply_moves(company, moves, facts, today, now, warn=warn)

    @api.model
    def _plan_moves(self, company, partner_ids, today, now=None):
        """({partner id: [(from stage id, to stage id, rule)]}, {partner id:
        order facts}) of these commercial partners in `company` as of `today`
        (the moves happening at `now`, default: now), decided in memory from
        one facts query and one search per rule."""
        now = now or fields.Datetime.now()
        stages = self.env["crm.lifecycle.stage"].sudo().search([])
        partner_ids = sorted(set(partner_ids))
        if not partner_ids or not stages:
            return {}, {}
        self.env.flush_all()
        states = self._get_partner_stages(company, partner_ids)
        partner_ids = [pid for pid in partner_ids if not states[pid][2]]
        # Rules were checked by a manager; the evaluation itself is the system's.
        Partner = (
            self.env["res.partner"]
            .sudo()
            .with_company(company)
            .with_context(lifecycle_today=today, active_test=False)
        )
        rules = self.env["crm.lifecycle.rule"].sudo()._get_company_rules(company)
        engine = self
        if len(partner_ids) >= WHOLE_BOOKS_FROM:
            # The facts of all the company's customers aggregated once, for
            # the engine and for the rules' conditions on them: one pass over
            # the orders, not one per condition (2.5 s at 100,000 customers).
            tables = self._materialize_facts(company, today)
            engine = self.with_context(lifecycle_facts_tables=tables)
            Partner = Partner.with_context(lifecycle_facts_tables=tables)
        facts = engine._get_order_facts(company, partner_ids, today)
        matched = engine._match_rule_domains(
            Partner, rules, Partner.browse(partner_ids), company, today
        )
        specs = self._get_rule_specs(company, rules, matched)
        moves = {}
        for pid in partner_ids:
            stage_id, since, _locked = states[pid]
            chain = self._get_moves(
                stages[0].id, specs, pid, stage_id, since, facts.get(pid), now
            )
            if chain:
                moves[pid] = chain
        return moves, facts

    @api.model
    def _get_partner_stages(self, company, partner_ids):
        """{partner id: (stage id, in stage since, locked)} in `company`, read
        in one query: through the ORM, reading them loads every field of every
        customer. In stage since: the moment the customer entered the stage
        (their open history row), else the first moment of the stage date."""
        self.env["res.partner"].flush_model(
            ["lifecycle_stage_id", "lifecycle_stage_date", "lifecycle_locked"]
        )
        self.env["crm.lifecycle.history"].flush_model()
        self.env.cr.execute(
            SQL(
                """
            SELECT p.id, (p.lifecycle_stage_id->>%(key)s)::int,
                   COALESCE(entered.date, (p.lifecycle_stage_date->>%(key)s)::date),
                   COALESCE((p.lifecycle_locked->>%(key)s)::boolean, FALSE)
              FROM res_partner p
              LEFT JOIN (
                    SELECT partner_id, stage_to_id, MAX(date) AS date
                      FROM crm_lifecycle_history
                     WHERE company_id = %(company)s AND date_end IS NULL
                       AND partner_id = ANY(%(ids)s::int[])
                     GROUP BY partner_id, stage_to_id) entered
                ON entered.partner_id = p.id
               AND entered.stage_to_id = (p.lifecycle_stage_id->>%(key)s)::int
             WHERE p.id = ANY(%(ids)s::int[])
            """,
                key=str(company.id),
                company=company.id,
                ids=array_literal(partner_ids),
            )
        )
        return {pid: state for pid, *state in self.env.cr.fetchall()}

    @api.model
    def _apply_moves(self, company, moves, facts, today, now, warn=True, initial=False):
        """Store these moves ({partner id: [(from stage id, to stage id,
        rule)]}): history, one chatter note per customer, warnings (with
        `warn`, and not on the `initial` classification) for those entering
        an at-risk stage. Returns {partner id: stage they end in}."""
        if not moves:
            return {}
        Stage, Rule = self.env["crm.lifecycle.stage"], self.env["crm.lifecycle.rule"]
        moves = {
            pid: [
                (Stage.browse(a), Stage.browse(b), rule or Rule) for a, b, rule in chain
            ]
            for pid, chain in moves.items()
        }
        Partner = (
            self.env["res.partner"]
            .sudo()
            .with_company(company)
            .with_context(lifecycle_today=today, active_test=False)
        )
        reasons = self._get_reason_facts(company, list(moves), facts)
        nobody = self.env["res.users"]
        self.env["crm.lifecycle.history"]._record_moves(
            company,
            {
                pid: [
                    (
                        stage_from,
                        stage_to,
                        rule,
                        nobody,
                        self._reason_of(rule, reasons[pid]),
                    )
                    for stage_from, stage_to, rule in chain
                ]
                for pid, chain in moves.items()
            },
            now,
            entered=not initial,
        )
        by_stage = defaultdict(list)
        for pid, chain in moves.items():
            by_stage[chain[-1][1]].append(pid)
        for stage, ids in by_stage.items():
            # One chatter note per customer, logged in bulk.
            Partner.browse(ids).with_context(
                lifecycle_engine=True
            )._write_logging_tracking(
                {"lifecycle_stage_id": stage.id, "lifecycle_stage_date": today}
            )
        at_risk = [
            pid for stage, ids in by_stage.items() if stage.is_at_risk for pid in ids
        ]
        if warn and not initial:
            self._warn_at_risk(Partner.browse(at_risk), reasons)
        back = [
            pid
            for stage, ids in by_stage.items()
            if not (stage.is_at_risk or stage.is_lost)
            for pid in ids
        ]
        self._close_churn_warnings(Partner.browse(back))
        return {pid: chain[-1][1] for pid, chain in moves.items()}

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------
    @api.model
    def _match_rule_domains(self, Partner, rules, partners, company, today):
        """{rule: set of partner ids meeting its domain}: one search per rule,
        of the rules that work (the others are skipped and reported).

        For a few customers, the searches are restricted to them, and those
        on live facts and value snapshots are told the batch
        (partner_batch_ids), so they aggregate only their orders and read
        only their snapshots. For many, each search runs over the whole
        company, joined by hashing, and is intersected with them after
        (8.4 s -> 4.9 s at 100,000 customers)."""
        ids = set(partners.ids)
        few = len(ids) < WHOLE_BOOKS_FROM
        if few:
            Partner = Partner.with_context(
                partner_batch_ids=partners.ids  # commercial partners
            )
        matched = {}
        for rule in rules:
            # A rule that stopped working (its field went away with an addon,
            # a condition valid only some days) is skipped and reported: the
            # other rules still evaluate everyone.
            try:
                domain = rule._get_domain(company, today)
                if not domain:
                    matched[rule] = set(ids)
                    continue
                if few:
                    domain = expression.AND([[("id", "in", partners.ids)], domain])
                with self.env.cr.savepoint():
                    found = Partner._search(domain).get_result_ids()
            except Exception as error:  # any failure: the rule is skipped
                rule._report_problem(company, error)
                continue
            matched[rule] = ids.intersection(found)
        rules.filtered(lambda rule: rule in matched)._clear_problem(company)
        return matched

    @api.model
    def _get_rule_specs(self, company, rules, matched):
        """The rules as plain values, in order: (rule, ids of the partners
        meeting its domain, from stage ids, to stage id, recency condition,
        days, factor). Trying them through the records' fields took 17 s for
        100,000 customers."""
        return [
            (
                rule,
                matched[rule],
                frozenset(rule.stage_from_ids.ids),
                rule.stage_to_id.id,
                rule.recency_condition,
                *rule._get_recency_threshold(company),
            )
            for rule in rules
            if rule in matched
        ]

    @api.model
    def _get_moves(
        self, first_stage_id, specs, partner_id, stage_id, since, facts, now
    ):
        """[(from stage id, to stage id, rule)]: the moves of one customer, in
        memory, from its stage (id or None) entered at `since` (a moment, or a
        day), the moves of this evaluation happening at `now`.

        A customer without a stage enters the first one; then the first rule met
        moves them, again and again until no rule moves them. A rule leading to
        the stage they are in, or back to one they left in this evaluation,
        stops the chain: one evaluation never goes round in circles."""
        chain = []
        if not stage_id:
            chain.append((None, first_stage_id, None))
            stage_id, since = first_stage_id, now
        left = {stage_id}
        while True:
            spec = next(
                (
                    spec
                    for spec in specs
                    if partner_id in spec[1]
                    and (not spec[2] or stage_id in spec[2])
                    and recency_met(*spec[4:], facts, since)
                ),
                None,
            )
            if not spec or spec[3] in left:
                return chain
            chain.append((stage_id, spec[3], spec[0]))
            stage_id, since = spec[3], now
            left.add(stage_id)

    # ------------------------------------------------------------------
    # Facts
    # ------------------------------------------------------------------
    @api.model
    def _get_order_facts_query(self, company, today):
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
    def _get_crm_facts_query(self, company, today):
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
    def _get_facts_query(self, kind, company, today):
        """SQL of the facts of `kind` ("orders" or "crm"): read from the
        table _materialize_facts made for this evaluation, if any."""
        table = dict(self.env.context.get("lifecycle_facts_tables") or ()).get(kind)
        if table:
            return SQL("SELECT * FROM %s", SQL.identifier(table))
        if kind == "orders":
            return self._get_order_facts_query(company, today)
        return self._get_crm_facts_query(company, today)

    @api.model
    def _materialize_facts(self, company, today):
        """((kind, table name), ...): the facts of each kind of all the
        company's customers, in temporary tables dropped at commit."""
        tables = []
        for kind in ("orders", "crm"):
            table = f"crm_lifecycle_{kind}_facts"
            self.env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(table)))
            self.env.cr.execute(
                SQL(
                    "CREATE TEMPORARY TABLE %s ON COMMIT DROP AS %s",
                    SQL.identifier(table),
                    self._get_facts_query(kind, company, today),
                )
            )
            self.env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
            tables.append((kind, table))
        return tuple(tables)

    @api.model
    def _get_facts(self, query, partner_ids):
        """{partner id: row} of a facts query, for these commercial partners."""
        if not partner_ids:
            return {}
        self.env.cr.execute(
            SQL(
                "SELECT * FROM (%s) facts WHERE partner_id = ANY(%s::int4[])",
                query,
                array_literal(partner_ids),
            )
        )
        return {row["partner_id"]: row for row in self.env.cr.dictfetchall()}

    @api.model
    def _get_order_facts(self, company, partner_ids, today):
        rows = self._get_facts(
            self._get_facts_query("orders", company, today), partner_ids
        )
        for row in rows.values():
            row["order_interval"] = float(row["order_interval"] or 0.0)
        return rows

    # ------------------------------------------------------------------
    # Reasons and warnings
    # ------------------------------------------------------------------
    @api.model
    def _get_reason_facts(self, company, partner_ids, facts):
        """{partner id: {REASON_FACTS name: value}}: the order facts of these
        commercial partners on the day of the evaluation (`facts`, from
        _get_order_facts) and their P(alive), the reason of their moves."""
        # P(alive) alone: the partner field is computed with all the public
        # figures (a quarter of a first evaluation's time).
        snapshots = (
            self.env["res.partner"]
            .with_company(company)
            .with_context(prefetch_fields=False)
            .browse(partner_ids)
            ._current_snapshots(["p_alive"])
        )
        reasons = {}
        for pid in partner_ids:
            row = facts.get(pid) or {}
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

    @api.model
    def _reason_of(self, rule, reason_facts):
        """The reason of a move by `rule` (none: the first stage), as the
        history stores it: a code and the facts, put in words when read."""
        if not rule:
            return {"reason_code": "first_evaluation"}
        return {"reason_code": "rule", **reason_facts}

    @api.model
    def _get_lifecycle_responsible(self, partners):
        """{partner id: user} warned when the customer is at risk (a hook:
        customer care gives it to the dedicated service representative)."""
        return {p.id: p.user_id for p in partners if p.user_id}

    @api.model
    def _warn_at_risk(self, partners, reasons):
        """Schedule an activity saying why, for each customer entering at risk
        who has no churn warning open, due on the company's day it is raised,
        in the language of the user warned. `reasons`: {partner id: the facts
        of their move} (_get_reason_facts)."""
        responsible = self._get_lifecycle_responsible(partners)
        activity_type = self.env.ref(
            "crm_lifecycle.mail_activity_type_churn_warning", raise_if_not_found=False
        )
        if not responsible or not activity_type:
            return
        company = partners.env.company
        today = company._get_value_today()
        model_id = self.env["ir.model"]._get_id("res.partner")
        warned = set(self._get_open_churn_warnings(partners).mapped("res_id"))
        History = self.env["crm.lifecycle.history"]
        vals_list = []
        for partner in partners:
            user = responsible.get(partner.id)
            if not user or partner.id in warned:
                continue
            # For one person: their language, whoever runs the evaluation.
            in_lang = partner.with_context(lang=user.lang)
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "summary": History.with_context(lang=user.lang)._render_reason(
                        "rule", reasons.get(partner.id) or {}
                    ),
                    "note": in_lang.lifecycle_stage_id.action_note,
                    "user_id": user.id,
                    "date_deadline": today,
                }
            )
        # Activities for other users, on customers the evaluating user may not
        # follow: the warning is the system's.
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(vals_list)

    @api.model
    def _get_open_churn_warnings(self, partners):
        """The churn warnings still open on these customers."""
        activity_type = self.env.ref(
            "crm_lifecycle.mail_activity_type_churn_warning", raise_if_not_found=False
        )
        if not partners or not activity_type:
            return self.env["mail.activity"]
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("activity_type_id", "=", activity_type.id),
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", partners.ids),
                ]
            )
        )

    @api.model
    def _close_churn_warnings(self, partners):
        """The churn warnings still open on these customers, who came back
        (they left the at-risk stage for a living one), are marked done: a
        warning is about the customer on the day it was raised."""
        warnings = self._get_open_churn_warnings(partners)
        # The feedback is read by the warned user, in their language.
        for lang, activities in warnings.grouped(lambda a: a.user_id.lang).items():
            activities.with_context(lang=lang).action_feedback(
                feedback=self.with_context(lang=lang).env._(
                    "The customer came back: the warning is closed."
                )
            )

    # ------------------------------------------------------------------
    # Who is evaluated
    # ------------------------------------------------------------------
    @api.model
    def _get_all_customers(self, company):
        """Ids of the commercial partners with a stage, a purchase or an open
        lead in `company`."""
        today = company._get_value_today()
        self.env.cr.execute(
            SQL(
                """
            SELECT partner_id FROM (
                SELECT id AS partner_id FROM res_partner
                 WHERE lifecycle_stage_id->>%(key)s IS NOT NULL
                UNION
                SELECT partner_id FROM (%(orders)s) orders
                UNION
                SELECT partner_id FROM (%(crm)s) crm
            ) customers
            WHERE partner_id IS NOT NULL
            """,
                key=str(company.id),
                orders=self._get_order_facts_query(company, today),
                crm=self._get_crm_facts_query(company, today),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]
