from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL

from ..analytics.pyramid import TierRule, abc_classes, assign_tiers
from ..sql_arrays import array_literal, unnest_rows


class CrmValueRanking(models.AbstractModel):
    """Ranks a company's current customers into the pyramid's tiers and ABC
    classes on the profit of their current snapshots (written by the engine),
    and carries the result to the partners: tracked tier moves, ABC classes,
    tier pricelists. Run after the company's scoring, on the same snapshots."""

    _name = "crm.value.ranking"
    _description = "Customer Value Ranking"

    @api.model
    def _rank_company(self, company):
        """Re-rank every current customer of the company into tiers and ABC
        classes, store them on the snapshots and on the partners (tracked)."""
        self.env.flush_all()
        company = company.with_company(company)
        cr = self.env.cr
        # Ranked once some business is invoiced: a customer whose purchases
        # are all pending has no profit yet, only held costs, and is in no
        # tier (never Lead on costs alone) until its first invoice.
        cr.execute(
            SQL(
                """
            SELECT id, partner_id, %s, previous_tier_id FROM crm_value_snapshot
             WHERE company_id = %s AND is_current
               AND (lifetime_invoiced_count > 0 OR lifetime_revenue <> 0)
             ORDER BY id
            """,
                SQL.identifier(self._get_ranking_basis(company)),
                company.id,
            )
        )
        rows = cr.fetchall()
        tiers = self.env["crm.value.tier"]._get_company_tiers(company)
        profits = [row[2] for row in rows]
        won = assign_tiers(profits, [TierRule(t.rule_type, t.threshold) for t in tiers])
        classes = abc_classes(
            profits, company.value_abc_a_percent, company.value_abc_b_percent
        )
        Partner = self.env["res.partner"].with_company(company)
        current = self._get_partner_tiers(company, [row[1] for row in rows])
        locked = {pid: tier for pid, (tier, _abc, lock) in current.items() if lock}
        position = {tier.id: index for index, tier in enumerate(tiers)}
        assigned = []
        for (snapshot_id, pid, _profit, previous), index, abc in zip(
            rows, won, classes, strict=True
        ):
            tier_id = (
                locked[pid]
                if pid in locked
                else (tiers[index].id if index is not None else None)
            )
            assigned.append(
                (
                    snapshot_id,
                    pid,
                    tier_id,
                    abc,
                    self._tier_move(position, previous, tier_id),
                )
            )
        # Customers who fell out of the ranking (no history left) lose their tier.
        cr.execute(
            SQL(
                """
            UPDATE crm_value_snapshot SET tier_id = NULL, abc_class = NULL,
                   tier_move = CASE WHEN previous_tier_id IS NULL THEN NULL ELSE 'lost' END
             WHERE company_id = %s AND is_current AND id NOT IN %s
            RETURNING partner_id
            """,
                company.id,
                tuple(row[0] for row in assigned) or (0,),
            )
        )
        dropped = [row[0] for row in cr.fetchall()]
        if assigned:
            ids, _pids, tier_ids, abcs, moves = zip(*assigned, strict=True)
            rows = {
                "id": list(ids),
                "tier_id": list(tier_ids),
                "abc_class": list(abcs),
                "tier_move": list(moves),
            }
            cr.execute(
                SQL(
                    """
                UPDATE crm_value_snapshot s
                   SET tier_id = v.tier_id, abc_class = v.abc_class, tier_move = v.tier_move
                  FROM %s
                 WHERE s.id = v.id
                """,
                    unnest_rows(self.env["crm.value.snapshot"]._fields, rows),
                )
            )
        self.env["crm.value.snapshot"].invalidate_model()
        new_values = {pid: (tier, abc) for _sid, pid, tier, abc, _move in assigned}
        new_values.update({pid: (None, None) for pid in dropped})
        current.update(self._get_partner_tiers(company, dropped))
        self._write_partner_tiers(Partner, new_values, current)

    @api.model
    def _get_ranking_basis(self, company):
        """The snapshot column of the profit customers are ranked and scored
        on: over the analysis window, the same less the expected bad debt, or
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
            # One note per customer in the chatter, logged in bulk.
            Partner.browse(ids)._write_logging_tracking({"value_tier_id": tier_id})
        if Partner.env.company.value_apply_tier_pricelist:
            self._apply_tier_pricelists(Partner, by_tier)
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

    @api.model
    def _apply_tier_pricelists(self, Partner, partner_ids_by_tier):
        """Give customers who changed tier their new tier's pricelist, unless a
        manager pinned the customer's pricelist."""
        Tier = self.env["crm.value.tier"]
        for tier_id, ids in partner_ids_by_tier.items():
            pricelist = Tier.browse(tier_id).pricelist_id
            partners = (
                Partner.browse(ids)
                .sudo()
                .filtered(lambda p: not p.value_pricelist_pinned)
            )
            if pricelist and partners:
                partners.write({"property_product_pricelist": pricelist.id})
