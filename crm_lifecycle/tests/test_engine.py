from datetime import timedelta
from unittest.mock import patch

from odoo.tests import tagged

from ..models import crm_lifecycle_engine
from .common import CrmLifecycleCommon


@tagged("post_install", "-at_install")
class TestLifecycleEngine(CrmLifecycleCommon):
    def _mixed_customers(self):
        """Customers whose histories lead to different stages."""
        profiles = {
            "Lead Only": (),
            "One Order": (-20,),
            "Two Orders": (-60, -20),
            "Veteran": (-500, -400, -300, -200, -100, -10),
            "Silent": (-300, -270, -240),
            "Gone": (-600,),
        }
        customers = self.env["res.partner"]
        for name, days in profiles.items():
            customer = self._customer(name)
            for day in days:
                self._order(customer, day)
            customers |= customer
        self.env["crm.lead"].create(
            {"name": "Interest", "type": "lead", "partner_id": customers[0].id}
        )
        return customers

    def _reset(self, customers):
        self.env["crm.lifecycle.history"].sudo().search(
            [("partner_id", "in", customers.ids)]
        ).unlink()
        customers.write({"lifecycle_stage_id": False, "lifecycle_stage_date": False})

    def test_batch_gives_the_same_stages_as_one_at_a_time(self):
        customers = self._mixed_customers()
        self._evaluate(*customers)
        batch = {c.name: c.lifecycle_stage_id.code for c in customers}
        self.assertEqual(
            batch,
            {
                "Lead Only": "target",
                "One Order": "new",
                "Two Orders": "active",
                "Veteran": "loyal",
                "Silent": "lost",
                "Gone": "lost",
            },
        )
        batch_paths = {
            c.name: [m.stage_to_id.code for m in self._history(c)] for c in customers
        }
        self._reset(customers)
        for customer in customers:
            self._evaluate(customer)
        self.assertEqual({c.name: c.lifecycle_stage_id.code for c in customers}, batch)
        self.assertEqual(
            {c.name: [m.stage_to_id.code for m in self._history(c)] for c in customers},
            batch_paths,
        )
        # Many customers at once: each rule searched over the whole company,
        # then narrowed to them.
        self._reset(customers)
        with patch.object(crm_lifecycle_engine, "WHOLE_BOOKS_FROM", 0):
            self._evaluate(*customers)
        self.assertEqual({c.name: c.lifecycle_stage_id.code for c in customers}, batch)
        self.assertEqual(
            {c.name: [m.stage_to_id.code for m in self._history(c)] for c in customers},
            batch_paths,
        )

    def test_batch_queries_do_not_grow_with_customers(self):
        def customers(count, prefix):
            found = self.env["res.partner"]
            for index in range(count):
                customer = self._customer(f"{prefix} {index}")
                self._order(customer, -60)
                self._order(customer, -20)
                found |= customer
            return found

        warm_up, small, large = (
            customers(1, "Warm-up"),
            customers(2, "Small"),
            customers(8, "Large"),
        )
        self._evaluate(*warm_up)  # caches filled once: rules, stages, views
        self.env.flush_all()
        counts = []
        for batch in (small, large):
            before = self.env.cr.sql_log_count
            self._evaluate(*batch)
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])
        self.assertTrue(all(c.lifecycle_stage_id == self.stage_active for c in large))

    def test_cron_drains_the_queue_filled_by_events(self):
        customer = self._customer("Event Driven")
        self.env.flush_all()
        query = "SELECT write_date FROM res_partner WHERE id = %s"
        self.env.cr.execute(query, [customer.id])
        before = self.env.cr.fetchone()
        self._order(customer, 0)
        self.env.flush_all()
        self.env.cr.execute(query, [customer.id])
        self.assertEqual(self.env.cr.fetchone(), before, "confirming wrote the partner")
        queued = self.env["crm.lifecycle.queue"].search(
            [("partner_id", "=", customer.id)]
        )
        self.assertEqual(queued.company_id, self.company)
        cron = self.env.ref("crm_lifecycle.ir_cron_evaluate_lifecycle")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
        prospect = self._customer("Event Prospect")
        self.env["crm.lead"].create(
            {"name": "Interest", "type": "opportunity", "partner_id": prospect.id}
        )
        self.lifecycle.sudo()._cron_evaluate_lifecycle(batch_size=2)
        self.assertFalse(self.env["crm.lifecycle.queue"].search([]))
        self.assertEqual(customer.lifecycle_stage_id, self.stage_new)
        self.assertEqual(prospect.lifecycle_stage_id, self.stage_opportunity)
        self.assertEqual(self.company.lifecycle_last_full_evaluation, self.today)

    def test_value_recompute_after_posting_queues_the_customer(self):
        customer = self._customer("Invoiced Customer")
        self._direct_invoice(customer, 100.0)
        Queue = self.env["crm.lifecycle.queue"].sudo()
        # Before today's full lifecycle evaluation, which queues everyone: no mark.
        self.company.lifecycle_last_full_evaluation = self.today - timedelta(days=1)
        Queue.search([]).unlink()
        self.env["crm.value.engine"].sudo()._cron_recompute_value()
        self.assertFalse(Queue.search([("partner_id", "=", customer.id)]))
        # After it, the recompute queues the customer for another evaluation.
        self.company.lifecycle_last_full_evaluation = self.today
        self.company.value_last_full_recompute = False
        self.env["crm.value.engine"].sudo()._cron_recompute_value()
        self.assertTrue(Queue.search([("partner_id", "=", customer.id)]))

    def test_two_companies_kept_apart(self):
        other = self.setup_other_company()["company"]
        self.env.user.company_ids |= other
        customer = self._customer("Two-Company Customer")
        self.env["crm.lifecycle.rule"].create(
            {
                "name": "Other company: new customers are loyal",
                "company_id": other.id,
                "sequence": 1,
                "stage_from_ids": [(6, 0, self.stage_new.ids)],
                "stage_to_id": self.stage_loyal.id,
            }
        )
        self._order(customer, -5, company=other)
        self._evaluate(customer, company=other)
        self._evaluate(customer)
        self.assertEqual(
            customer.with_company(other).lifecycle_stage_id, self.stage_loyal
        )
        self.assertEqual(customer.lifecycle_stage_id, self.stage_reserve)
        self.assertPath(customer, ["reserve", "new", "loyal"], company=other)
        self.assertPath(customer, ["reserve"])
        self.assertEqual(customer.with_company(other).lifecycle_order_count, 1)
        self.assertEqual(customer.lifecycle_order_count, 0)
        # The lists' stage filters and groups: the stage of the current company.
        Partner = self.env["res.partner"]
        for company, stage in (
            (other, self.stage_loyal),
            (self.company, self.stage_reserve),
        ):
            partners = Partner.with_company(company)
            for domain in (
                [("lifecycle_stage_id", "=", stage.id)],
                [("lifecycle_stage_id.code", "in", [stage.code])],
                [
                    (
                        "lifecycle_stage_id",
                        "in",
                        (self.stage_loyal | self.stage_reserve).ids,
                    )
                ],
            ):
                self.assertEqual(
                    partners.search([("id", "=", customer.id), *domain]), customer
                )
            self.assertFalse(
                partners.search(
                    [
                        ("id", "=", customer.id),
                        ("lifecycle_stage_id", "=", self.stage_new.id),
                    ]
                )
            )
            self.assertEqual(
                partners._read_group(
                    [("id", "=", customer.id)], ["lifecycle_stage_id"], ["__count"]
                ),
                [(stage, 1)],
            )

    def test_first_stage_is_not_logged_later_moves_are(self):
        def stage_notes(partner):
            return partner.message_ids.tracking_value_ids.filtered(
                lambda t: t.field_id.name == "lifecycle_stage_id"
            )

        customer = self._customer("Chatter Customer")
        self.env.cr.precommit.run()  # end of the creating transaction: tracking starts
        self.lifecycle = self.lifecycle.with_context(
            tracking_disable=False, mail_notrack=False
        )
        self._evaluate(customer)
        self.env.cr.precommit.run()
        self.assertEqual(customer.lifecycle_stage_id, self.stage_reserve)
        self.assertFalse(stage_notes(customer), "a first stage is not a move")
        self.assertPath(customer, ["reserve"])  # the history has it
        self._order(customer, -5)
        self._evaluate(customer)
        self.env.cr.precommit.run()
        note = stage_notes(customer)
        self.assertEqual(note.old_value_char, self.stage_reserve.name)
        self.assertEqual(note.new_value_char, customer.lifecycle_stage_id.name)

    def test_kanban_shows_every_stage(self):
        customer = self._customer("Board Customer")
        self._evaluate(customer)
        groups = self.env["res.partner"].web_read_group(
            [("id", "=", customer.id)], ["lifecycle_stage_id"], ["lifecycle_stage_id"]
        )["groups"]
        stages = self.env["crm.lifecycle.stage"].search([])
        self.assertEqual(
            [g["lifecycle_stage_id"][0] for g in groups if g["lifecycle_stage_id"]],
            stages.ids,
        )

    def test_facts_are_searchable(self):
        steady = self._customer("Steady")
        for day in (-90, -60, -30):
            self._order(steady, day)
        never = self._customer("Never")
        Partner = self.env["res.partner"]
        scope = [("id", "in", (steady | never).ids)]
        self.assertEqual(
            Partner.search(scope + [("lifecycle_order_count", ">=", 3)]), steady
        )
        self.assertEqual(
            Partner.search(scope + [("lifecycle_order_count", "=", 0)]), never
        )
        self.assertEqual(
            Partner.search(scope + [("lifecycle_order_interval", "<", 31)]),
            steady | never,
        )
        self.assertEqual(
            Partner.search(scope + [("lifecycle_last_order_date", "=", False)]), never
        )
        self.assertEqual(
            Partner.search(scope + [("lifecycle_days_since_order", ">", 20)]), steady
        )
        self.assertAlmostEqual(steady.lifecycle_order_interval, 30.0)
        self.assertEqual(steady.lifecycle_days_since_order, 30)

    def test_an_invoice_without_an_order_is_a_purchase(self):
        """One definition of "bought": an invoice with no sales order behind
        it is a purchase for the lifecycle as for the value figures, and an
        order with its invoice is one purchase, not two."""
        direct = self._customer("Berliner Invoice Only")
        self._direct_invoice(direct, 400.0, invoice_date=self._day(-12))
        ordered = self._customer("Ordered And Invoiced")
        self._invoice(self._order(ordered, -12), date=self._day(-10))
        self._evaluate(direct, ordered)
        for customer in (direct, ordered):
            with self.subTest(customer=customer.name):
                self.assertEqual(customer.lifecycle_order_count, 1)
                self.assertEqual(customer.lifecycle_last_order_date, self._day(-12))
                self.assertEqual(customer.lifecycle_days_since_order, 12)
                self.assertEqual(customer.lifecycle_stage_id, self.stage_new)
        self.assertPath(direct, ["reserve", "new"])
        self.assertEqual(
            self.env["res.partner"].search(
                [
                    ("id", "in", (direct | ordered).ids),
                    ("lifecycle_order_count", "=", 1),
                ]
            ),
            direct | ordered,
        )
        self.assertIn(direct.id, self.lifecycle._get_all_customers(self.company))
        self._recompute(direct, ordered)
        for customer in (direct, ordered):
            with self.subTest(customer=customer.name):
                self.assertEqual(customer.value_lifetime_order_count, 1)
                self.assertEqual(customer.value_last_sale_date, self._day(-12))
