from collections import defaultdict
from datetime import datetime, time

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL


class CrmLifecycleEngine(models.AbstractModel):
    """Moves customers between lifecycle stages by the rules, many at a time.

    For a batch of customers of one company: one query for their order facts,
    one search per rule's domain over the whole batch, then the rules are tried
    in memory; the moves are stored with one update and one insert, and the
    partners written once per stage they end in.
    """

    _name = "crm.lifecycle.engine"
    _description = "Customer Lifecycle Engine"

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------
    @api.model
    def _cron_evaluate_lifecycle(self, batch_size=1000):
        """Daily: queue every customer once; always: drain the queue in batches,
        committing each."""
        today = fields.Date.context_today(self)
        queued = False
        for company in self.env["res.company"].search([]):
            if company.lifecycle_last_full_evaluation != today:
                self._queue_all_customers(company)
                company.lifecycle_last_full_evaluation = today
                queued = True
        if queued:
            self.env["crm.lifecycle.queue"]._analyze()
        # Emails the moves cause (activities assigned by care plans) go through
        # the mail queue, as for Odoo's server actions, not sent one by one.
        engine = self.with_context(mail_notify_force_send=False)
        self.env["crm.lifecycle.queue"]._drain(engine._evaluate_batch, batch_size)

    @api.model
    def _evaluate_batch(self, company, partner_ids):
        """One batch of the cron, in its own transaction."""
        self.env["crm.value.engine"]._tune_transaction()
        return self._evaluate_partners(company, partner_ids)

    @api.model
    def _evaluate_partners(self, company, partner_ids, today=None):
        """Apply the rules to these commercial partners in `company`, as of
        `today` (default: now). Returns {partner id: stage} of those moved."""
        now = (
            fields.Datetime.now()
            if today is None
            else datetime.combine(today, time(12))
        )
        today = today or fields.Date.context_today(self)
        # Rules were checked by a manager; the evaluation itself is the system's.
        Partner = (
            self.env["res.partner"]
            .sudo()
            .with_company(company)
            .with_context(lifecycle_today=today, active_test=False)
        )
        stages = self.env["crm.lifecycle.stage"].sudo().search([])
        partners = Partner.browse(sorted(set(partner_ids)))
        if not partners or not stages:
            return {}
        self.env.flush_all()
        partners = partners.filtered(lambda p: not p.lifecycle_locked)
        rules = self.env["crm.lifecycle.rule"].sudo()._get_company_rules(company)
        facts = self._get_order_facts(company, partners.ids, today)
        matched = self._match_rule_domains(Partner, rules, partners, company, today)
        moves = {}
        for partner in partners:
            chain = self._get_moves(
                company, stages, rules, matched, partner, facts.get(partner.id), today
            )
            if chain:
                moves[partner.id] = chain
        if not moves:
            return {}
        reasons = self._describe_partners(Partner.browse(list(moves)), facts)
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
        self._warn_at_risk(Partner.browse(at_risk), facts, today)
        return {pid: chain[-1][1] for pid, chain in moves.items()}

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------
    @api.model
    def _match_rule_domains(self, Partner, rules, partners, company, today):
        """{rule: set of partner ids meeting its domain}: one search per rule.

        The searches on live facts and value snapshots are told the batch
        (partner_batch_ids), so they aggregate the batch's orders and read
        its snapshots, not the whole company's for every batch."""
        matched = {}
        Partner = Partner.with_context(
            partner_batch_ids=partners.commercial_partner_id.ids
        )
        for rule in rules:
            domain = rule._get_domain(company, today)
            if not domain:
                matched[rule] = set(partners.ids)
                continue
            matched[rule] = set(
                Partner._search(
                    expression.AND([[("id", "in", partners.ids)], domain])
                ).get_result_ids()
            )
        return matched

    @api.model
    def _get_moves(self, company, stages, rules, matched, partner, facts, today):
        """[(from stage, to stage, rule)]: the moves of one customer, in memory.

        A customer without a stage enters the first one; then the first rule met
        moves them, again and again until no rule moves them. A rule leading to
        the stage they are in, or back to one they left in this evaluation,
        stops the chain: one evaluation never goes round in circles."""
        stage, since = partner.lifecycle_stage_id, partner.lifecycle_stage_date
        Rule = self.env["crm.lifecycle.rule"]
        chain = []
        if not stage:
            chain.append((stage, stages[0], Rule))
            stage, since = stages[0], today
        for _step in stages:
            rule = next(
                (
                    rule
                    for rule in rules
                    if partner.id in matched[rule]
                    and (not rule.stage_from_ids or stage in rule.stage_from_ids)
                    and rule._recency_met(company, facts, since)
                ),
                None,
            )
            if not rule or rule.stage_to_id in (stage, *(move[0] for move in chain)):
                break
            chain.append((stage, rule.stage_to_id, rule))
            stage, since = rule.stage_to_id, today
        return chain

    # ------------------------------------------------------------------
    # Facts
    # ------------------------------------------------------------------
    @api.model
    def _get_order_facts_query(self, company, today):
        """SQL: per commercial partner, their confirmed orders in `company` up to
        `today`: count, first and last date, usual days between two orders
        ((last - first) / (count - 1), 0 with one order), days since the last."""
        return SQL(
            """
            SELECT p.commercial_partner_id AS partner_id,
                   COUNT(*) AS order_count,
                   MIN(so.date_order)::date AS first_order_date,
                   MAX(so.date_order)::date AS last_order_date,
                   COALESCE(EXTRACT(EPOCH FROM MAX(so.date_order) - MIN(so.date_order))
                            / 86400.0 / NULLIF(COUNT(*) - 1, 0), 0) AS order_interval,
                   %(today)s::date - MAX(so.date_order)::date AS days_since_order
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
             WHERE so.company_id = %(company)s AND so.state = 'sale'
               AND so.date_order < %(today)s::date + 1
             GROUP BY p.commercial_partner_id
            """,
            company=company.id,
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
    def _get_facts(self, query, partner_ids):
        """{partner id: row} of a facts query, for these commercial partners."""
        if not partner_ids:
            return {}
        self.env.cr.execute(
            SQL(
                "SELECT * FROM (%s) facts WHERE partner_id IN %s",
                query,
                tuple(partner_ids),
            )
        )
        return {row["partner_id"]: row for row in self.env.cr.dictfetchall()}

    @api.model
    def _get_order_facts(self, company, partner_ids, today):
        rows = self._get_facts(self._get_order_facts_query(company, today), partner_ids)
        for row in rows.values():
            row["order_interval"] = float(row["order_interval"] or 0.0)
        return rows

    # ------------------------------------------------------------------
    # Reasons and warnings
    # ------------------------------------------------------------------
    @api.model
    def _describe_partners(self, partners, facts):
        """{partner id: their order facts and P(alive) in words}."""
        p_alive = {}
        if "value_p_alive" in partners._fields:
            p_alive = {p.id: p.value_p_alive for p in partners}
        return {
            p.id: self._describe_facts(facts.get(p.id), p_alive.get(p.id))
            for p in partners
        }

    @api.model
    def _describe_facts(self, facts, p_alive):
        """E.g. "No order for 95 days; usual interval 30 days; P(alive) 0.31"."""
        _ = self.env._
        if not facts or not facts["last_order_date"]:
            parts = [_("No order yet")]
        else:
            parts = [_("No order for %(days)s days", days=facts["days_since_order"])]
            if facts["order_interval"]:
                parts.append(
                    _(
                        "usual interval %(days)s days",
                        days=round(facts["order_interval"]),
                    )
                )
        if p_alive:
            probability = format(p_alive, ".2f")
            parts.append(_("P(alive) %(p_alive)s", p_alive=probability))
        return "; ".join(parts)

    @api.model
    def _reason_of(self, rule, facts_text):
        if not rule:
            return self.env._("First evaluation: every customer starts here.")
        return facts_text

    @api.model
    def _get_lifecycle_responsible(self, partners):
        """{partner id: user} warned when the customer is at risk (a hook:
        customer care gives it to the dedicated service representative)."""
        return {p.id: p.user_id for p in partners if p.user_id}

    @api.model
    def _warn_at_risk(self, partners, facts, today):
        """Schedule an activity saying why, for each customer entering at risk."""
        responsible = self._get_lifecycle_responsible(partners)
        activity_type = self.env.ref(
            "crm_lifecycle.mail_activity_type_churn_warning", raise_if_not_found=False
        )
        if not responsible or not activity_type:
            return
        model_id = self.env["ir.model"]._get_id("res.partner")
        by_lang = defaultdict(list)
        for partner in partners.filtered(lambda p: p.id in responsible):
            by_lang[responsible[partner.id].lang].append(partner.id)
        vals_list = []
        for lang, ids in by_lang.items():
            localized = self.with_context(lang=lang)
            described = localized._describe_partners(
                partners.with_context(lang=lang).browse(ids), facts
            )
            for partner in partners.browse(ids):
                vals_list.append(
                    {
                        "res_model_id": model_id,
                        "res_id": partner.id,
                        "activity_type_id": activity_type.id,
                        "summary": described[partner.id],
                        "note": partner.with_context(
                            lang=lang
                        ).lifecycle_stage_id.action_note,
                        "user_id": responsible[partner.id].id,
                        "date_deadline": today,
                    }
                )
        # Activities for other users, on customers the evaluating user may not
        # follow: the warning is the system's.
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(vals_list)

    # ------------------------------------------------------------------
    # The queue
    # ------------------------------------------------------------------
    @api.model
    def _queue_all_customers(self, company):
        """Queue every commercial partner with a stage, a confirmed order or an
        open lead in `company`."""
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO crm_lifecycle_queue (partner_id, company_id)
            SELECT partner_id, %(company)s FROM (
                SELECT id AS partner_id FROM res_partner
                 WHERE lifecycle_stage_id->>%(key)s IS NOT NULL
                UNION
                SELECT partner_id FROM (%(orders)s) orders
                UNION
                SELECT partner_id FROM (%(crm)s) crm
            ) customers
            WHERE partner_id IS NOT NULL
            """,
                company=company.id,
                key=str(company.id),
                orders=self._get_order_facts_query(
                    company, fields.Date.context_today(self)
                ),
                crm=self._get_crm_facts_query(company, fields.Date.context_today(self)),
            )
        )
