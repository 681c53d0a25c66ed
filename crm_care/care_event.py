"""What happened to a customer, as the care plans receive it."""

from typing import Any, NamedTuple


class CareEvent(NamedTuple):
    """Something that happened to a customer, which care plans may answer.

    The model where it happens builds one and hands it to
    ``mail.activity.plan._care_fire(trigger, events)``; the plans of the
    trigger decide whether they answer it (``_care_accepts_<trigger>``).

    - ``partner``: the customer, or one of its contacts (the care goes to
      the customer);
    - ``document``: the record it happened on (an order, a delivery, a
      complaint...), named in the steps' summary, or None;
    - ``date``: the day the steps count from (default: the company's today);
    - ``company``: where it happened; a plan of another company does not
      answer it (a shared plan answers any);
    - ``occasion``: what tells two events apart beyond their document (the
      year of a birthday) or, without a document, what the event is
      (``("periodic", 321)``);
    - ``user``: who made it: the steps nobody is responsible for go to them
      (default: the current user);
    - ``paid_on_time``: invoice paid: settled by its due date;
    - ``tier_move``: tier changed: ``"up"`` or ``"down"``.
    """

    partner: Any
    document: Any = None
    date: Any = None
    company: Any = None
    occasion: tuple = ()
    user: Any = None
    paid_on_time: bool = False
    tier_move: str | None = None

    @property
    def key(self):
        """What fired, unique per plan and customer (crm.care.event.key): the
        document ("sale.order,7") followed by the occasion ("2026-12-31")."""
        document = (self.document._name, self.document.id) if self.document else ()
        return ",".join(str(part) for part in (*document, *self.occasion))
