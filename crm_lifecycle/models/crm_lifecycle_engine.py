from collections import defaultdict
from datetime import datetime, time

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from odoo.addons.crm_value.models.crm_value_engine import WHOLE_BOOKS_FROM
from odoo.addons.crm_value.sql_arrays import array_literal

from ..rule_conditions import recency_met


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
        rules = self.env["crm.lifecycle.rule"].sudo()._get_company_rules(company)
        Facts = self.env["crm.lifecycle.facts"]
        if len(partner_ids) < WHOLE_BOOKS_FROM:
            # The facts of these customers alone, for the engine and for the
            # rules' conditions on them.
            queries = Facts._get_queries(company, today, partner_ids)
        else:
            # The facts of all the company's customers aggregated once: one
            # pass over the orders, not one per condition.
            queries = Facts._materialize(company, today)
        facts = Facts._get_order_facts(queries, partner_ids)
        matched = self._match_rule_domains(company, rules, partner_ids, today, queries)
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
    def _get_partners_env(self, company):
        """The customers as the evaluation reads and writes them in `company`:
        the rules were checked by a manager, the evaluation is the system's,
        archived customers included."""
        return (
            self.env["res.partner"]
            .sudo()
            .with_company(company)
            .with_context(active_test=False)
        )

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
        Partner = self._get_partners_env(company)
        reasons = self.env["crm.lifecycle.facts"]._get_reason_facts(
            company, list(moves), facts
        )
        History, nobody = self.env["crm.lifecycle.history"], self.env["res.users"]
        History._record_moves(
            company,
            {
                pid: [
                    (
                        stage_from,
                        stage_to,
                        rule,
                        nobody,
                        History._reason("rule", reasons[pid])
                        if rule
                        else History._reason("first_evaluation"),
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
            # One chatter note per customer, logged in bulk. The moves are in
            # the history already: the write records no move by hand.
            Partner.browse(ids)._write_logging_tracking(
                {"lifecycle_stage_id": stage.id, "lifecycle_stage_date": today}
            )
        at_risk = [
            pid for stage, ids in by_stage.items() if stage.is_at_risk for pid in ids
        ]
        Warnings = self.env["crm.lifecycle.churn.warning"]
        if warn and not initial:
            at_risk = Partner.browse(at_risk)
            Warnings._raise(at_risk, reasons, self._get_lifecycle_responsible(at_risk))
        back = [
            pid
            for stage, ids in by_stage.items()
            if not (stage.is_at_risk or stage.is_lost)
            for pid in ids
        ]
        Warnings._close(Partner.browse(back))
        return {pid: chain[-1][1] for pid, chain in moves.items()}

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------
    @api.model
    def _match_rule_domains(self, company, rules, partner_ids, today, queries):
        """{rule: set of partner ids meeting its domain}: one search per rule,
        of the rules that work (the others are skipped and reported). The
        conditions on facts read `queries` ({kind: SQL}, see
        crm.lifecycle.facts), the facts of this evaluation's day.

        For a few customers, the searches are restricted to them (and so are
        the facts given). For many, each search runs over the whole company,
        joined by hashing rather than probing indexes customer by customer,
        and is intersected with them after."""
        ids = set(partner_ids)
        few = len(ids) < WHOLE_BOOKS_FROM
        Partner = self._get_partners_env(company)
        Facts = self.env["crm.lifecycle.facts"]
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
                domain = Facts._resolve_domain(domain, queries)
                if few:
                    domain = expression.AND([[("id", "in", partner_ids)], domain])
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
        days, factor): the rules are tried for every customer, and reading
        the records' fields each time would be most of the evaluation."""
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
    # Who is warned, who is evaluated
    # ------------------------------------------------------------------
    @api.model
    def _get_lifecycle_responsible(self, partners):
        """{partner id: user} warned when the customer is at risk (a hook:
        customer care gives it to the dedicated service representative)."""
        return {p.id: p.user_id for p in partners if p.user_id}

    @api.model
    def _get_all_customers(self, company):
        """Ids of the commercial partners with a stage, a purchase or an open
        lead in `company`."""
        today = company._get_value_today()
        Facts = self.env["crm.lifecycle.facts"]
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
                orders=Facts._get_order_query(company, today),
                crm=Facts._get_crm_query(company, today),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]
