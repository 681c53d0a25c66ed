from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL

from ..analytics.pyramid import TierRule, abc_classes, assign_tiers
from ..sql_arrays import array_literal

# What the ranking writes to each current snapshot.
RANK_COLUMNS = ("tier_id", "abc_class", "tier_move")


class CrmValueRanking(models.AbstractModel):
    """Ranks a company's current customers into the pyramid's tiers and ABC
    classes on the profit of their current snapshots (written by the engine),
    and carries the result to the partners: tracked tier moves (and the
    tiers' terms, through the partners' write), ABC classes. Run after the
    company's scoring, on the same snapshots."""

    _name = "crm.value.ranking"
    _description = "Customer Value Ranking"

    @api.model
    def _rank_company(self, company):
        """Re-rank every current customer of the company into tiers and ABC
        classes (_rank_rows), store what changed on the snapshots and carry
        it to the partners (tracked)."""
        self.env.flush_all()
        Snapshot = self.env["crm.value.snapshot"]
        rows = Snapshot._read_current_rows(
            company, (*self._get_rank_inputs(company), *RANK_COLUMNS)
        )
        ranks = self._rank_rows(company, rows)
        Snapshot._update_changed(rows, ranks)
        self._write_partner_ranks(company, rows["partner_id"], ranks)

    @api.model
    def _get_rank_inputs(self, company):
        """The snapshot columns _rank_rows reads."""
        return (
            self._get_ranking_basis(company),
            "lifetime_invoiced_count",
            "lifetime_revenue",
            "previous_tier_id",
        )

    @api.model
    def _rank_rows(self, company, rows):
        """{"tier_id", "abc_class", "tier_move": [value per row]} of the
        company's current customers, `rows` ({column: [value per row]} with
        partner_id and _get_rank_inputs, in snapshot id order: ties of profit
        go to the older row). A manager's locked tier is kept.

        Ranked once some business is invoiced: a customer whose purchases are
        all pending has no profit yet, only held costs, and is in no tier
        (never Lead on costs alone) until its first invoice; a customer who
        fell out of the ranking (no history left) loses its tier."""
        company = company.with_company(company)
        partner_ids, previous = rows["partner_id"], rows["previous_tier_id"]
        ranked = [
            index
            for index, (count, revenue) in enumerate(
                zip(
                    rows["lifetime_invoiced_count"],
                    rows["lifetime_revenue"],
                    strict=True,
                )
            )
            if (count or 0) > 0 or (revenue or 0) != 0
        ]
        ranks = {
            "tier_id": [None] * len(partner_ids),
            "abc_class": [None] * len(partner_ids),
            "tier_move": ["lost" if tier else None for tier in previous],
        }
        tiers = self.env["crm.value.tier"]._get_company_tiers(company)
        basis = rows[self._get_ranking_basis(company)]
        # A column new since the row was stored is empty until the next full
        # pass (e.g. the risk-adjusted profit after an upgrade): no profit.
        profits = [basis[index] or 0.0 for index in ranked]
        won = assign_tiers(profits, [TierRule(t.rule_type, t.threshold) for t in tiers])
        classes = abc_classes(
            profits, company.value_abc_a_percent, company.value_abc_b_percent
        )
        current = self._get_partner_tiers(
            company, [partner_ids[index] for index in ranked]
        )
        locked = {pid: tier for pid, (tier, _abc, lock) in current.items() if lock}
        position = {tier.id: index for index, tier in enumerate(tiers)}
        for index, won_index, abc in zip(ranked, won, classes, strict=True):
            pid = partner_ids[index]
            tier_id = (
                locked[pid]
                if pid in locked
                else (tiers[won_index].id if won_index is not None else None)
            )
            ranks["tier_id"][index] = tier_id
            ranks["abc_class"][index] = abc
            ranks["tier_move"][index] = self._tier_move(
                position, previous[index], tier_id
            )
        return ranks

    @api.model
    def _write_partner_ranks(self, company, partner_ids, ranks):
        """Carry the tiers and ABC classes of `ranks` (_rank_rows, aligned
        with `partner_ids`) to the partners in `company`: what changed, the
        tier moves tracked."""
        current = self._get_partner_tiers(company, partner_ids)
        new_values = {
            pid: (tier_id, abc)
            for pid, tier_id, abc in zip(
                partner_ids, ranks["tier_id"], ranks["abc_class"], strict=True
            )
            if pid in current
        }
        self._write_partner_tiers(
            self.env["res.partner"].with_company(company), new_values, current
        )

    @api.model
    def _get_ranking_basis(self, company):
        """The snapshot column of the profit customers are ranked and scored
        on: their own (_get_own_ranking_basis) or, with a network weight
        (Settings), the same plus that share of their network profit
        (ranking_profit, crm.value.network)."""
        if company.value_network_weight > 0:
            return "ranking_profit"
        return self._get_own_ranking_basis(company)

    @api.model
    def _get_own_ranking_basis(self, company):
        """The snapshot column of the customer's own profit the ranking reads:
        over the analysis window, the same less the expected bad debt, or
        over the whole history (Settings)."""
        if company.value_ranking_basis == "window":
            return "net_profit"
        if company.value_ranking_basis == "risk_adjusted":
            return "risk_adjusted_profit"
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
            # One note per customer in the chatter, logged in bulk; the
            # partners' write gives them their new tier's terms
            # (res.partner._apply_value_tier_terms).
            Partner.browse(ids)._write_logging_tracking({"value_tier_id": tier_id})
        self._write_abc_classes(Partner, by_abc)

    @api.model
    def _write_abc_classes(self, Partner, partner_ids_by_class):
        """Set the company's ABC class of many partners in one UPDATE. The class
        is untracked and only the ranking writes it: the ORM's write of a
        company's partners, one by one, is many times slower and holds them
        all in memory."""
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
