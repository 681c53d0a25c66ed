from collections import defaultdict

from odoo import api, models

# {partner field the tier terms write: (the pin that keeps it, the field of
# a draft quotation that follows it)}. The pricelist is written in its
# company-dependent store: Odoo's property_product_pricelist is computed from
# it, and its inverse searches the country's pricelist customer by customer.
TERMS = {
    "specific_property_product_pricelist": ("value_pricelist_pinned", "pricelist_id"),
    "property_payment_term_id": ("value_payment_term_pinned", "payment_term_id"),
}
# {field a manager sets by hand on a customer: the pin it sets}.
PINNED_BY = {
    "property_product_pricelist": "value_pricelist_pinned",
    **{fname: pin for fname, (pin, _order_field) in TERMS.items()},
}


class CrmValueTierTermsMixin(models.AbstractModel):
    """The terms a customer gets from their tier in a company (the tier's
    pricelist and payment terms) when the company applies tier terms
    (Settings), unless a Customer Value manager pinned them on the customer;
    the customer's contacts get them too, as Odoo gives a company's to its
    contacts, and their draft quotations follow (prices recomputed as
    *Update prices* does); confirmed orders keep theirs.

    For res.partner, whose write calls `_apply_value_tier_terms` when a tier
    changes (the nightly ranking's or a manager's) or a pin is lifted."""

    _name = "crm.value.tier.terms.mixin"
    _description = "Terms Customers Get from Their Tier"

    @api.model
    def _value_tier_terms(self, tier):
        """{partner field: id} the customers of `tier` get in the current
        company: its pricelist and payment terms, where the tier has them
        (and they are the company's or shared)."""
        company = self.env.company
        given = {
            "specific_property_product_pricelist": tier.pricelist_id,
            "property_payment_term_id": tier.payment_term_id,
        }
        return {
            fname: record.id
            for fname, record in given.items()
            if record and record.company_id in (company, company.browse())
        }

    def _get_value_tier_terms(self):
        """{customer id: {partner field: value}} the terms these customers
        (commercial partners) should have in the current company, from their
        current tier; no entry for a customer without a tier. Hook: extend
        it to decide a customer's terms otherwise (call super, change or add
        their dict; fields of TERMS); the pins are applied after it."""
        tiers = defaultdict(list)
        for pid, keys in self._read_company_keys(["value_tier_id"]).items():
            if keys["value_tier_id"]:
                tiers[keys["value_tier_id"]].append(pid)
        Tier = self.env["crm.value.tier"].sudo()
        result = {}
        for tier_id, pids in tiers.items():
            terms = self._value_tier_terms(Tier.browse(tier_id))
            result.update({pid: dict(terms) for pid in pids if terms})
        return result

    def _apply_value_tier_terms(self):
        """Give these customers (commercial partners) and their contacts the
        terms `_get_value_tier_terms` decides in the current company, when
        it applies tier terms, except the terms pinned on the customer: one
        write per set of terms; their draft quotations follow."""
        company = self.env.company
        if not self or not company.value_apply_tier_terms:
            return
        wanted = self._get_value_tier_terms()
        pins = self._read_company_keys([pin for pin, _order in TERMS.values()])
        customers_by_terms = defaultdict(list)
        for pid, terms in wanted.items():
            kept = {
                fname: value
                for fname, value in terms.items()
                if not pins[pid][TERMS[fname][0]]
            }
            if kept:
                customers_by_terms[frozenset(kept.items())].append(pid)
        if not customers_by_terms:
            return
        # The terms follow the tier, whoever changed it: a manager need not be
        # allowed to edit contacts nor every salesperson's quotations.
        Partner = self.sudo()
        customer_ids = [pid for pids in customers_by_terms.values() for pid in pids]
        contacts = defaultdict(list)
        for contact in Partner.search_fetch(
            [
                ("commercial_partner_id", "in", customer_ids),
                ("id", "not in", customer_ids),
            ],
            ["commercial_partner_id"],
        ):
            contacts[contact.commercial_partner_id.id].append(contact.id)
        for terms, pids in customers_by_terms.items():
            Partner.browse(pids + [cid for pid in pids for cid in contacts[pid]]).write(
                dict(terms)
            )
        self._follow_value_tier_terms(customers_by_terms)

    @api.model
    def _follow_value_tier_terms(self, customers_by_terms):
        """The draft quotations of the customers in the current company take
        their new terms, {frozenset of (partner field, value): customer ids},
        one write per set, prices recomputed under a new pricelist; sent and
        confirmed orders keep theirs, as Odoo's own pricelist of an order
        follows its customer in draft only."""
        customer_ids = [pid for pids in customers_by_terms.values() for pid in pids]
        Order = self.env["sale.order"].sudo()
        order_ids = defaultdict(list)
        for order in Order.search_fetch(
            [
                ("partner_id.commercial_partner_id", "in", customer_ids),
                ("state", "=", "draft"),
                ("company_id", "=", self.env.company.id),
            ],
            ["partner_id"],
        ):
            order_ids[order.partner_id.commercial_partner_id.id].append(order.id)
        repriced = Order.browse()
        for terms, pids in customers_by_terms.items():
            orders = Order.browse([oid for pid in pids for oid in order_ids[pid]])
            if not orders:
                continue
            values = {TERMS[fname][1]: value for fname, value in terms}
            orders.write(values)
            if "pricelist_id" in values:
                repriced |= orders
        # As the quotation's Update prices button does; its note, one per
        # order, is logged below for all the orders together.
        repriced._recompute_prices()
        _ = self.env._
        notes = {}
        for oid in (oid for ids in order_ids.values() for oid in ids):
            order = Order.browse(oid)
            if order in repriced:
                notes[oid] = _(
                    "Tier terms applied: prices recomputed according to pricelist "
                    "%(pricelist)s.",
                    pricelist=order.pricelist_id.display_name,
                )
            else:
                notes[oid] = _(
                    "Tier terms applied: payment terms %(terms)s.",
                    terms=order.payment_term_id.display_name,
                )
        Order.browse(notes)._message_log_batch(notes)
