"""Stock valuation layers as Odoo's FIFO and average costing would write them.

Pure Python: events of one product in date order in, one layer per event out.
"""

from collections import deque

RECEIPT, DELIVERY, RETURN = 0, 1, 2


class Layer:
    __slots__ = ("key", "quantity", "unit_cost", "value", "remaining_qty")

    def __init__(self, key, quantity, unit_cost, value, remaining_qty=0.0):
        self.key = key
        self.quantity = quantity
        self.unit_cost = unit_cost
        self.value = value
        self.remaining_qty = remaining_qty


def value_product(events, method):
    """Layers for `events` = [(day, kind, key, qty, unit cost or origin key)].

    Incoming layers keep a remaining quantity consumed oldest first (Odoo does
    so for both methods); FIFO values deliveries at those layers' costs,
    average cost at the running average. Returns are valued at the cost of
    the delivery they return, as Odoo's `_get_price_unit` does."""
    queue, layers, by_key = deque(), [], {}
    on_hand = average = 0.0
    for _day, kind, key, qty, cost in events:
        if kind == DELIVERY:
            consumed = _consume(queue, qty)
            value = -round(consumed if method == "fifo" else qty * average, 2)
            layer = Layer(key, -qty, -value / qty, value)
            on_hand -= qty
        else:
            unit = by_key[cost].unit_cost if kind == RETURN else cost
            layer = Layer(key, qty, unit, round(qty * unit, 2), qty)
            queue.append(layer)
            if on_hand + qty > 0:
                average = (max(on_hand, 0) * average + qty * unit) / (
                    max(on_hand, 0) + qty
                )
            on_hand += qty
        by_key[key] = layer
        layers.append(layer)
    return layers, average


def _consume(queue, qty):
    """Take `qty` from the oldest incoming layers; the cost taken."""
    cost = 0.0
    while qty > 1e-9 and queue:
        layer = queue[0]
        taken = min(qty, layer.remaining_qty)
        cost += taken * layer.unit_cost
        layer.remaining_qty -= taken
        qty -= taken
        if layer.remaining_qty <= 1e-9:
            queue.popleft()
    return cost
