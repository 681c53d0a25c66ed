from babel.dates import format_skeleton

from odoo import api, models
from odoo.tools import SQL
from odoo.tools.misc import format_amount, formatLang, get_lang

from ..analytics.pyramid import Ranking, Standing, TierRule

# Snapshots shown in a customer's value history: the last one of each month.
HISTORY_MONTHS = 12


class CrmValueStanding(models.AbstractModel):
    """Where customers stand in their company's pyramid, told in words.

    Everything is read from the stored facts of the last ranking (the current
    snapshots the ranking classed, their profits, the tier rules) when a form
    asks, and rendered in the reader's language: no text is stored."""

    _name = "crm.value.standing"
    _description = "Customer Value Standing"

    @api.model
    def _get_ranking_basis(self, company):
        """The snapshot column the company ranks its customers on: the
        ranking's, never a second definition."""
        return self.env["crm.value.ranking"]._get_ranking_basis(company)

    @api.model
    def _get_standings(self, company, partner_ids):
        """{commercial partner id: Standing} in `company`'s last ranking, for
        the partners of `partner_ids` it ranked. One query over the company's
        ranked customers (the current snapshots it gave an ABC class), in the
        ranking's order of ties (snapshot id)."""
        if not partner_ids:
            return {}
        self.env["crm.value.snapshot"].flush_model()
        self.env.cr.execute(
            SQL(
                """
            SELECT partner_id, %s FROM crm_value_snapshot
             WHERE company_id = %s AND is_current AND abc_class IS NOT NULL
             ORDER BY id
            """,
                SQL.identifier(self._get_ranking_basis(company)),
                company.id,
            )
        )
        rows = self.env.cr.fetchall()
        ranking = Ranking(profit or 0.0 for _pid, profit in rows)
        wanted = set(partner_ids)
        return {
            pid: Standing(ranking.profits, index, ranking)
            for index, (pid, _profit) in enumerate(rows)
            if pid in wanted
        }

    # ------------------------------------------------------------------
    # Rendering
    # ------------------------------------------------------------------
    def _percent(self, value):
        return f"{formatLang(self.env, value, digits=0)}%"

    def _period(self, company):
        _ = self.env._
        if company.value_ranking_basis == "window":
            return _("the last %(months)s months", months=company.value_window_months)
        if company.value_ranking_basis == "risk_adjusted":
            return _(
                "the last %(months)s months, less expected bad debt",
                months=company.value_window_months,
            )
        return _("the whole history")

    @api.model
    def _describe_tier(self, standing, tier, tiers, company):
        """Why `standing` has `tier`: its rank, its share of profit and the
        rule of the tier, in the reader's language."""
        _ = self.env._
        period = self._period(company)
        if standing.share_above() is None:
            rank = _(
                "Rank %(rank)s of %(count)s by net profit over %(period)s: it "
                "makes no profit.",
                rank=standing.rank(),
                count=standing.count,
                period=period,
            )
        elif standing.rank() == 1:
            rank = _(
                "Rank 1 of %(count)s by net profit over %(period)s: it alone "
                "makes %(through)s of the profit.",
                count=standing.count,
                period=period,
                through=self._percent(standing.share_through()),
            )
        else:
            rank = _(
                "Rank %(rank)s of %(count)s by net profit over %(period)s: the "
                "customers above it make %(above)s of the profit, %(through)s "
                "with it.",
                rank=standing.rank(),
                count=standing.count,
                period=period,
                above=self._percent(standing.share_above()),
                through=self._percent(standing.share_through()),
            )
        parts = [rank, self._describe_rule(tier, tiers, company)]
        rules = self._rules(tiers)
        won = standing.tier(rules)
        if won is not None and tiers[won] != tier:
            parts.append(
                _(
                    "Its figures or the tier rules changed since the last "
                    "ranking: the next recompute ranks it %(tier)s.",
                    tier=tiers[won].name,
                )
            )
        return " ".join(parts)

    @api.model
    def _describe_rule(self, tier, tiers, company):
        """The rule of `tier` as a sentence, with the range it shares with the
        tiers before it that have the same kind of rule."""
        _ = self.env._
        if tier not in tiers:
            return ""
        before = tiers[: list(tiers).index(tier)]
        same = [t.threshold for t in before if t.rule_type == tier.rule_type]
        if tier.rule_type == "profit_share":
            return _(
                "%(tier)s covers the customers from %(low)s to %(high)s of "
                "cumulative profit.",
                tier=tier.name,
                low=self._percent(same[-1] if same else 0),
                high=self._percent(tier.threshold),
            )
        if tier.rule_type == "customer_share":
            return _(
                "%(tier)s covers the top %(low)s to %(high)s of customers by profit.",
                tier=tier.name,
                low=self._percent(same[-1] if same else 0),
                high=self._percent(tier.threshold),
            )
        amount = format_amount(self.env, tier.threshold, company.currency_id)
        if tier.rule_type == "profit_min":
            return _(
                "%(tier)s takes a net profit of %(amount)s or more.",
                tier=tier.name,
                amount=amount,
            )
        return _(
            "%(tier)s takes a net profit of %(amount)s or less.",
            tier=tier.name,
            amount=amount,
        )

    @api.model
    def _describe_network(self, amount, company, with_amounts):
        """That the customer's rank counts `amount` (positive) from the
        customers it referred (crm.value.network), the amount for managers
        only (`with_amounts`); empty without it."""
        if not amount or amount <= 0:
            return ""
        weight = self._percent(company.value_network_weight)
        if with_amounts:
            return self.env._(
                "Its profit ranked on includes %(amount)s from referrals: "
                "%(weight)s of the net profit of the customers it referred.",
                amount=format_amount(self.env, amount, company.currency_id),
                weight=weight,
            )
        return self.env._(
            "Its rank includes profit from referrals: %(weight)s of the net "
            "profit of the customers it referred.",
            weight=weight,
        )

    @api.model
    def _describe_next_tier(self, standing, tier, tiers, company):
        """What would move `standing` up from `tier`: the extra profit, an
        amount (for managers only)."""
        _ = self.env._
        if tier not in tiers:
            return ""
        index = list(tiers).index(tier)
        if index == 0:
            return _("%(tier)s is the top tier.", tier=tier.name)
        rules = self._rules(tiers)
        currency = company.currency_id
        needed = standing.profit_to_reach(rules, index - 1, unit=currency.rounding)
        if not needed:
            return ""
        reached = tiers[standing.tier(rules, standing.profit + needed)]
        return _(
            "%(amount)s more net profit over %(period)s would move it up to "
            "%(tier)s, the other customers' figures unchanged.",
            amount=format_amount(self.env, needed, currency),
            period=self._period(company),
            tier=reached.name,
        )

    @staticmethod
    def _rules(tiers):
        return [TierRule(t.rule_type, t.threshold) for t in tiers]

    # ------------------------------------------------------------------
    # History
    # ------------------------------------------------------------------
    @api.model
    def _get_history(self, company, partner_ids, with_amounts):
        """{partner id: chart data} of the last snapshot of each of the
        customer's last HISTORY_MONTHS months with one: the tier, and the net
        profit when `with_amounts` (for managers). One query for all."""
        if not partner_ids:
            return {}
        self.env["crm.value.snapshot"].flush_model()
        # The customer's own net profit, as the chart says (older rows hold
        # no profit ranked on with referrals).
        basis = self.env["crm.value.ranking"]._get_own_ranking_basis(company)
        self.env.cr.execute(
            SQL(
                """
            SELECT partner_id, date, tier_id, %(basis)s FROM (
                SELECT DISTINCT ON (partner_id, date_trunc('month', date))
                       partner_id, date, tier_id, %(basis)s,
                       date_trunc('month', date) AS month
                  FROM crm_value_snapshot
                 WHERE company_id = %(company)s AND partner_id IN %(partners)s
                 ORDER BY partner_id, date_trunc('month', date), date DESC
            ) last_of_month
             WHERE month > (
                   SELECT max(date_trunc('month', s.date)) FROM crm_value_snapshot s
                    WHERE s.company_id = %(company)s
                      AND s.partner_id = last_of_month.partner_id
                   ) - %(months)s * interval '1 month'
             ORDER BY partner_id, date
            """,
                basis=SQL.identifier(basis),
                company=company.id,
                partners=tuple(partner_ids),
                months=HISTORY_MONTHS,
            )
        )
        rows = self.env.cr.fetchall()
        Tier = self.env["crm.value.tier"]
        shown = Tier._get_company_tiers(company)
        # The y axis lists the tiers from the bottom (Lead) to the top.
        levels = {tier.id: len(shown) - i for i, tier in enumerate(shown)}
        names = {
            tier.id: tier.name
            for tier in Tier.with_context(active_test=False).browse(
                list({row[2] for row in rows if row[2]})
            )
        }
        locale = get_lang(self.env).code
        points = {}
        for pid, date, tier_id, profit in rows:
            points.setdefault(pid, []).append((date, tier_id, profit or 0.0))
        no_tier = self.env._("No tier")
        history = {}
        for pid, rows_of_partner in points.items():
            series = []
            if with_amounts:
                series.append(
                    {
                        "label": self.env._(
                            "Net profit (%(currency)s)",
                            currency=company.currency_id.name,
                        ),
                        "kind": "bar",
                        "axis": "amount",
                        "data": [profit for _d, _t, profit in rows_of_partner],
                    }
                )
            series.append(
                {
                    "label": self.env._("Tier"),
                    "kind": "step",
                    "axis": "levels",
                    "data": [levels.get(t, 0) for _d, t, _p in rows_of_partner],
                    "names": [names.get(t, no_tier) for _d, t, _p in rows_of_partner],
                }
            )
            history[pid] = {
                "labels": [
                    format_skeleton("yMMM", date, locale=locale)
                    for date, _t, _p in rows_of_partner
                ],
                "levels": [no_tier, *reversed(shown.mapped("name"))],
                "series": series,
            }
        return history
