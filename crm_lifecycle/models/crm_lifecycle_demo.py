from datetime import timedelta

from odoo import Command, api, models

# Months of stage history replayed: the oldest demo order is a little younger.
HISTORY_MONTHS = 20


class CrmLifecycleDemo(models.AbstractModel):
    """Demo flows: the orders of the lifecycle's demo customers, each confirmed
    on its day, and the lifecycle evaluated at every month-end of the last
    twenty months with the clock set to it (`crm.value.demo._replay`), reading
    the value figures (P(alive)) of that month-end's snapshots: customers end
    in every stage, with a history that is the engine's own."""

    _name = "crm.lifecycle.demo"
    _description = "Customer Lifecycle Demo Flows"

    # customer: days ago of each confirmed order
    DEMO_ORDERS = {
        "demo_customer_imperial": (430, 370, 300, 240, 180, 120, 60, 15),
        "demo_customer_snow": (560, 500),
        "demo_customer_lakeside": (160, 130, 100),
        "demo_customer_ocean": (600, 560, 520, 20),
    }

    @api.model
    def _run_demo_flows(self):
        ref = self.env.ref
        company = self.env.company
        today = company._get_value_today()
        replay = self.env["crm.value.demo"]
        events = [
            (
                replay._moment(company, today - timedelta(days=days), 10),
                lambda key=key, days=days: self._confirm_order(key, days),
            )
            for key, days_ago in self.DEMO_ORDERS.items()
            for days in days_ago
        ]
        events += [
            (replay._moment(company, day, 21), lambda day=day: self._evaluate(day))
            for day in replay._month_ends(today, HISTORY_MONTHS)
        ]
        self.env.flush_all()
        self.env["crm.lifecycle.queue"].search([]).unlink()
        replay._replay(events)
        replay._set_current_snapshots(company)
        # Today's figures of everyone, with the orders above, then today's stages.
        replay._recompute(
            company, self.env["crm.value.engine"]._get_all_customers(company)
        )
        self._evaluate()
        self.env["crm.lifecycle.queue"].search([]).unlink()
        # A salesperson met Seaview's buyer: moved by hand, then kept there.
        seaview = ref("crm_lifecycle.demo_customer_seaview")
        seaview.lifecycle_stage_id = ref("crm_lifecycle.stage_potential")
        seaview.lifecycle_locked = True
        company.lifecycle_last_full_evaluation = today

    def _confirm_order(self, key, days):
        """One training day ordered by the customer now, confirmed."""
        product = self.env.ref("crm_value.demo_product_training")
        order = self.env["sale.order"].create(
            {
                "partner_id": self.env.ref(f"crm_lifecycle.{key}").id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 1})
                ],
            }
        )
        order.action_confirm()
        # Demo data of this addon: uninstalling it removes the orders before
        # the customers they reference.
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": f"crm_lifecycle.{key}_order_{days}",
                    "record": order,
                    "noupdate": True,
                }
            ]
        )

    def _evaluate(self, day=None):
        """Every customer of the company (and a prospect with nothing yet)
        evaluated now, with the value snapshots current on `day` if given."""
        company = self.env.company
        if day:
            self.env["crm.value.demo"]._set_current_snapshots(company, day)
        engine = self.env["crm.lifecycle.engine"]
        customers = set(engine._get_all_customers(company))
        customers.add(self.env.ref("crm_lifecycle.demo_customer_lotus").id)
        engine._evaluate_partners(company, sorted(customers))
