from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL

from ..sql_arrays import array_literal

# What the network step writes to each current snapshot (_network_rows): the
# customers referred who bought, their net profit over the window and of all
# time, and the profit the pyramid ranks the customer on.
NETWORK_COLUMNS = (
    "referral_count",
    "network_profit",
    "lifetime_network_profit",
    "ranking_profit",
)
# The commercial entities (a contact shares its company's referrer).
COMMERCIAL_DOMAIN = ["|", ("is_company", "=", True), ("parent_id", "=", False)]


class CrmValueNetwork(models.AbstractModel):
    """A customer's network value (网络化价值, 口碑): what the customers they
    referred (res.partner.value_referred_by_id) bring, summed per referrer
    over the company's current rows in memory, in the nightly pass between
    the figures and the scores. A referrer's row follows its referred
    customers' profit whether or not it was queued itself: the pass writes
    the other rows that moved.

    Referrals count one level (who referred whom, not who referred the
    referrer); a referrer with no current row in the company (who never
    bought there) has no network figures there."""

    _name = "crm.value.network"
    _description = "Customer Value Network"

    @api.model
    def _get_network_inputs(self, company):
        """The snapshot columns _network_rows reads (its own columns among
        them: the pass writes only the rows whose values moved)."""
        return (
            "first_sale_date",
            "net_profit",
            "lifetime_net_profit",
            self.env["crm.value.ranking"]._get_own_ranking_basis(company),
            *NETWORK_COLUMNS,
        )

    @api.model
    def _get_network_basis(self, company):
        """The network column counted in the profit ranked on: the referred
        customers' profit over the whole history when the company ranks on
        the whole history, else over the window."""
        if company.value_ranking_basis == "lifetime":
            return "lifetime_network_profit"
        return "network_profit"

    @api.model
    def _network_rows(self, company, rows):
        """{network column: [value per row]} of the company's current rows,
        `rows` ({column: [value per row]} with partner_id and
        _get_network_inputs): per customer, the referred customers who bought
        and the sum of their net profit (window, lifetime), and the profit
        ranked on: its own on the ranking basis plus the network weight
        (Settings) times its network profit when positive. One query, for
        the referral links of the company's customers."""
        partner_ids = rows["partner_id"]
        position = {pid: index for index, pid in enumerate(partner_ids)}
        count = [0] * len(partner_ids)
        window = [0.0] * len(partner_ids)
        lifetime = [0.0] * len(partner_ids)
        for referred, referrer in self._get_referrers(partner_ids).items():
            index, source = position.get(referrer), position[referred]
            if index is None or rows["first_sale_date"][source] is None:
                continue
            count[index] += 1
            window[index] += rows["net_profit"][source] or 0.0
            lifetime[index] += rows["lifetime_net_profit"][source] or 0.0
        currency = company.currency_id
        values = {
            "referral_count": count,
            "network_profit": [currency.round(value) for value in window],
            "lifetime_network_profit": [currency.round(value) for value in lifetime],
        }
        weight = company.value_network_weight / 100.0
        own = rows[self.env["crm.value.ranking"]._get_own_ranking_basis(company)]
        network = values[self._get_network_basis(company)]
        values["ranking_profit"] = [
            currency.round((profit or 0.0) + weight * max(extra, 0.0))
            for profit, extra in zip(own, network, strict=True)
        ]
        return values

    @api.model
    def _get_referrers(self, partner_ids):
        """{customer id: the commercial partner who referred them} of these
        commercial partners, in one query (a referral is the same in every
        company)."""
        if not partner_ids:
            return {}
        self.env["res.partner"].flush_model(
            ["value_referred_by_id", "commercial_partner_id"]
        )
        self.env.cr.execute(
            SQL(
                """
            SELECT p.id, r.commercial_partner_id
              FROM res_partner p
              JOIN res_partner r ON r.id = p.value_referred_by_id
             WHERE p.id = ANY(%s::int[]) AND r.commercial_partner_id <> p.id
            """,
                array_literal(partner_ids),
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _refresh_company(self, company):
        """The network figures of every current customer of the company, from
        their stored rows, written where they moved: what a manager's
        *Recompute now* runs before the scores and the ranking read them."""
        self.env.flush_all()
        Snapshot = self.env["crm.value.snapshot"]
        rows = Snapshot._read_current_rows(company, self._get_network_inputs(company))
        Snapshot._update_changed(rows, self._network_rows(company, rows))

    @api.model
    def _with_contacts(self, partners):
        """`partners`' commercial partners and all their contacts: who may
        be named as the referrer of their customers."""
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("id", "child_of", partners.commercial_partner_id.ids)])
        )

    @api.model
    def _get_referral_counts(self, partners):
        """{commercial partner id: customers it referred} of `partners`' commercial
        partners, in every company: one _read_group."""
        groups = (
            self.env["res.partner"]
            .with_context(active_test=False)
            ._read_group(
                [
                    ("value_referred_by_id", "in", self._with_contacts(partners).ids),
                    *COMMERCIAL_DOMAIN,
                ],
                ["value_referred_by_id"],
                ["__count"],
            )
        )
        counts = defaultdict(int)
        for referrer, total in groups:
            counts[referrer.commercial_partner_id.id] += total
        return counts
