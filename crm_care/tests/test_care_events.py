from odoo import fields
from odoo.tests import tagged

from odoo.addons.crm_care.care_event import CareEvent
from odoo.addons.crm_value.tests.common import load_migration

from .common import CrmCareCommon


def _post_migrate():
    return load_migration("crm_care", "18.0.1.3.0", "post-migrate.py").migrate


@tagged("post_install", "-at_install")
class TestCareEvents(CrmCareCommon):
    """Care events through one door: firing models say what happened, each
    trigger's plans decide whether they answer it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer._increase_rank("customer_rank")
        cls.Plan = cls.env["mail.activity.plan"]
        cls.Plan.search([("care_trigger", "!=", False)]).active = False
        cls.other_company = cls.env["res.company"].create({"name": "Other Tea Co"})
        cls.stages = {
            stage.code: stage for stage in cls.env["crm.lifecycle.stage"].search([])
        }

    def _plan(self, trigger, **values):
        return self.Plan.create(
            {
                "name": f"Care on {trigger}",
                "res_model": "res.partner",
                "care_trigger": trigger,
                **values,
            }
        )

    def _move(self, stage):
        """A real lifecycle move of the customer into `stage`, recorded
        without firing (the tests fire it themselves)."""
        Stage = self.env["crm.lifecycle.stage"]
        return (
            self.env["crm.lifecycle.history"]
            .sudo()
            ._record_moves(
                self.company,
                {
                    self.customer.id: [
                        (
                            Stage,
                            stage,
                            self.env["crm.lifecycle.rule"],
                            self.env.user,
                            "",
                        )
                    ]
                },
                fields.Datetime.now(),
                entered=False,
            )
        )

    def test_key_is_the_document_then_the_occasion(self):
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        self.assertEqual(CareEvent(self.customer, order).key, f"sale.order,{order.id}")
        renewal = CareEvent(self.customer, order, occasion=(self.today,))
        self.assertEqual(renewal.key, f"sale.order,{order.id},{self.today}")
        self.assertEqual(
            CareEvent(self.customer, occasion=("periodic", 8107)).key, "periodic,8107"
        )

    def test_plans_answer_the_events_of_their_company_and_shared_ones_any(self):
        own = self._plan("complaint_closed", company_id=self.company.id)
        shared = self._plan("complaint_closed", company_id=False)
        here = CareEvent(self.customer, company=self.company)
        elsewhere = CareEvent(self.customer, company=self.other_company)
        self.assertTrue(own._care_accepts(here))
        self.assertFalse(own._care_accepts(elsewhere))
        self.assertTrue(shared._care_accepts(elsewhere))
        self.assertNotIn(
            own, self.Plan._care_plans("complaint_closed", self.other_company)
        )
        self.assertIn(
            shared, self.Plan._care_plans("complaint_closed", self.other_company)
        )

    def test_paid_on_time_only_plan_answers_invoices_paid_by_their_due_date(self):
        plan = self._plan("invoice_paid", care_paid_on_time_only=True)
        anyway = self._plan("invoice_paid")
        on_time = CareEvent(self.customer, company=self.company, paid_on_time=True)
        late = on_time._replace(paid_on_time=False)
        self.assertTrue(plan._care_accepts(on_time))
        self.assertFalse(plan._care_accepts(late))
        self.assertTrue(anyway._care_accepts(late))

    def test_tier_plans_answer_the_moves_of_their_direction(self):
        up = CareEvent(self.customer, company=self.company, tier_move="up")
        down = up._replace(tier_move="down")
        for direction, answered in (
            ("any", (up, down)),
            ("up", (up,)),
            ("down", (down,)),
        ):
            plan = self._plan("tier_changed", care_tier_direction=direction)
            self.assertEqual(
                [event for event in (up, down) if plan._care_accepts(event)],
                list(answered),
                direction,
            )

    def test_stage_plan_answers_the_moves_into_its_stage(self):
        plan = self._plan("stage_entered", care_stage_id=self.stages["at_risk"].id)
        into_risk = self._move(self.stages["at_risk"])
        into_loyal = self._move(self.stages["loyal"])
        events = [
            CareEvent(move.partner_id, move, move.date.date(), self.company)
            for move in into_risk | into_loyal
        ]
        self.assertEqual(
            [event.document for event in events if plan._care_accepts(event)],
            [into_risk],
        )
        created = self.Plan._care_fire("stage_entered", events)
        self.assertEqual(created.plan_id, plan)
        self.assertEqual(
            (created.res_model, created.res_id), (into_risk._name, into_risk.id)
        )

    def test_fire_launches_each_plan_once_per_event(self):
        plan = self._plan("complaint_closed")
        event = CareEvent(self.customer, occasion=("closed", 1), company=self.company)
        created = self.Plan._care_fire("complaint_closed", [event, event])
        self.assertEqual(len(created), 1)
        self.assertEqual((created.plan_id, created.key), (plan, "closed,1"))
        self.assertFalse(self.Plan._care_fire("complaint_closed", [event]))

    def test_migration_names_the_stage_of_the_old_code(self):
        plan = self._plan("stage_entered", care_stage_id=self.stages["new"].id)
        lost = self._plan("stage_entered", care_stage_id=self.stages["new"].id)
        contact = self.customer
        birthday = self.env["crm.care.event"].create(
            {
                "plan_id": plan.id,
                "partner_id": contact.id,
                "key": f"birthday,{contact.id},2026",
            }
        )
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("ALTER TABLE mail_activity_plan ADD COLUMN care_stage_code varchar")
        # As a plan of 18.0.1.2.0 stood: a stage code, no stage.
        cr.execute(
            "UPDATE mail_activity_plan SET care_stage_id = NULL, "
            "care_stage_code = CASE id WHEN %s THEN 'at_risk' ELSE 'at risk' END "
            "WHERE id IN %s",
            [plan.id, (plan.id, lost.id)],
        )
        _post_migrate()(cr, "18.0.1.2.0")
        self.env.invalidate_all()
        self.assertEqual(plan.care_stage_id, self.stages["at_risk"])
        self.assertTrue(plan.active)
        # A code naming no stage: the plan could never start, it is archived.
        self.assertFalse(lost.care_stage_id)
        self.assertFalse(lost.active)
        self.assertEqual(birthday.key, f"res.partner,{contact.id},2026")
        cr.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = "
            "'mail_activity_plan' AND column_name = 'care_stage_code'"
        )
        self.assertFalse(cr.fetchall(), "the old column is gone")
