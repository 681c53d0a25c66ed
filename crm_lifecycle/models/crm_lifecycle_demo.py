from datetime import timedelta

from odoo import Command, api, models


class CrmLifecycleDemo(models.AbstractModel):
    """Demo flows: dated orders, then the lifecycle replayed month by month over
    the last twenty months, so customers end in every stage with a history."""

    _name = "crm.lifecycle.demo"
    _description = "Customer Lifecycle Demo Flows"

    # customer: days ago of each confirmed order
    DEMO_ORDERS = {
        "demo_customer_imperial": (430, 370, 300, 240, 180, 120, 60, 15),
        "demo_customer_snow": (560, 500),
        "demo_customer_lakeside": (160, 130, 100),
        "demo_customer_ocean": (600, 560, 520, 20),
    }
    REPLAY_STEP_DAYS = 30
    REPLAY_DAYS = 600

    @api.model
    def _run_demo_flows(self):
        ref = self.env.ref
        company = self.env.company
        today = company._get_value_today()
        product = ref("crm_value.demo_product_training")
        for key, days_ago in self.DEMO_ORDERS.items():
            for days in days_ago:
                date = today - timedelta(days=days)
                order = self.env["sale.order"].create(
                    {
                        "partner_id": ref(f"crm_lifecycle.{key}").id,
                        "date_order": date,
                        "order_line": [
                            Command.create(
                                {"product_id": product.id, "product_uom_qty": 1}
                            )
                        ],
                    }
                )
                order.action_confirm()
                order.date_order = date
                # Demo data of this addon: uninstalling it removes the orders
                # before the customers they reference.
                self.env["ir.model.data"]._update_xmlids(
                    [
                        {
                            "xml_id": f"crm_lifecycle.{key}_order_{days}",
                            "record": order,
                            "noupdate": True,
                        }
                    ]
                )
        engine = self.env["crm.lifecycle.engine"]
        self.env.flush_all()
        self.env["crm.lifecycle.queue"].search([]).unlink()
        customers = sorted(engine._get_all_customers(company))
        customers += [ref("crm_lifecycle.demo_customer_lotus").id]
        for days in range(self.REPLAY_DAYS, -1, -self.REPLAY_STEP_DAYS):
            engine._evaluate_partners(
                company, customers, today=today - timedelta(days=days)
            )
        engine._evaluate_partners(company, customers)
        # A salesperson met Seaview's buyer: moved by hand, then kept there.
        seaview = ref("crm_lifecycle.demo_customer_seaview")
        seaview.lifecycle_stage_id = ref("crm_lifecycle.stage_potential")
        seaview.lifecycle_locked = True
        company.lifecycle_last_full_evaluation = today
