"""The shape of the generated company, drawn with numpy (no Odoo import).

Days are offsets from the first day of the three years (0 .. DAYS); a plan is
plain arrays, so 100,000 customers and a million lines stay a few hundred MB.
"""

from dataclasses import dataclass

import numpy as np

DAYS = 3 * 365


@dataclass
class Plan:
    customers: int
    has_contact: np.ndarray  # bool per customer: an invoicing contact person
    salesperson: np.ndarray  # index into the salespeople, per customer
    country: np.ndarray  # index into the countries, per customer
    payer: np.ndarray  # 0 on time, 1 late, 2 bad, per customer
    # Orders
    order_customer: np.ndarray
    order_day: np.ndarray
    order_second: np.ndarray  # seconds into the day
    order_state: np.ndarray  # 0 sale, 1 quotation, 2 cancelled
    order_by_contact: np.ndarray  # ordered by the contact person, not the company
    # Lines
    line_order: np.ndarray
    line_product: np.ndarray
    line_qty: np.ndarray
    line_discount: np.ndarray


def draw_plan(rng, customers, products):
    """Customers with long-tailed (Lomax) order counts and spend, over 3 years."""
    buyer = rng.random(customers) >= 0.08  # 8% are prospects only
    orders = np.where(
        buyer, 1 + np.floor(rng.pareto(1.6, customers) * 2.2).astype(int), 0
    )
    orders = np.minimum(orders, 150)
    start = rng.uniform(0, DAYS, customers)
    end = np.minimum(start + rng.exponential(700, customers), DAYS)
    order_customer = np.repeat(np.arange(customers), orders)
    span = (end - start)[order_customer]
    order_day = (start[order_customer] + rng.random(len(order_customer)) * span).astype(
        int
    )
    state = rng.choice(3, size=len(order_customer), p=[0.92, 0.05, 0.03])
    has_contact = rng.random(customers) < 0.3
    by_contact = has_contact[order_customer] & (rng.random(len(order_customer)) < 0.5)
    lines = 1 + rng.poisson(1.3, len(order_customer))
    line_order = np.repeat(np.arange(len(order_customer)), lines)
    popularity = 1.0 / np.arange(1, products + 1) ** 0.9
    line_product = rng.choice(
        products, size=len(line_order), p=popularity / popularity.sum()
    )
    spend = rng.lognormal(0.0, 0.9, customers)
    qty = rng.geometric(0.45, len(line_order)) * spend[order_customer[line_order]]
    discount = rng.choice(
        [0, 5, 10, 15, 20, 100],
        size=len(line_order),
        p=[0.757, 0.08, 0.08, 0.05, 0.03, 0.003],
    )
    return Plan(
        customers=customers,
        has_contact=has_contact,
        salesperson=rng.integers(0, 6, customers),
        country=rng.integers(0, 12, customers),
        payer=rng.choice(3, size=customers, p=[0.7, 0.22, 0.08]),
        order_customer=order_customer,
        order_day=order_day,
        order_second=rng.integers(8 * 3600, 18 * 3600, len(order_customer)),
        order_state=state,
        order_by_contact=by_contact,
        line_order=line_order,
        line_product=line_product,
        line_qty=np.maximum(1, np.round(qty)).astype(int),
        line_discount=discount.astype(float),
    )


def payment_delays(rng, payer):
    """Days from invoice to payment per invoice, -1 when never paid."""
    size = len(payer)
    on_time = rng.integers(0, 31, size)
    late = 30 + rng.exponential(40, size).astype(int)
    bad = np.where(
        rng.random(size) < 0.5, -1, 60 + rng.exponential(60, size).astype(int)
    )
    return np.choose(payer, [on_time, late, bad])
