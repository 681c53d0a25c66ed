"""The demo flows are plain Python (each addon's demo/demo.py) that the demo
data runs through ir.module.module._run_demo_flow, and nothing else runs
them."""

import importlib
from datetime import date, datetime

from lxml import etree

from odoo.exceptions import AccessError
from odoo.modules.module import get_manifest
from odoo.tests import tagged
from odoo.tools import file_open

from odoo.addons.base.tests.common import BaseCommon

from ..demo.demo import moment, month_ends


@tagged("post_install", "-at_install")
class TestDemoFlows(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Module = cls.env["ir.module.module"]
        cls.crm_value = cls.env.ref("base.module_crm_value")

    def _demo_flow_calls(self):
        """(module, called module, flow) of each _run_demo_flow call in the
        demo data of the installed modules."""
        calls = []
        for module in self.Module.search([("state", "=", "installed")]):
            for path in get_manifest(module.name).get("demo", []):
                with file_open(f"{module.name}/{path}", "rb") as demo_file:
                    content = demo_file.read()
                if b"_run_demo_flow" not in content:
                    continue
                for node in etree.fromstring(content).iter("function"):
                    if node.get("name") != "_run_demo_flow":
                        continue
                    self.assertEqual(node.get("model"), "ir.module.module")
                    record, flow = node.findall("value")
                    called = record.get("eval").removeprefix("[ref('base.module_")
                    calls.append((module.name, called.removesuffix("')]"), flow.text))
        return calls

    def test_demo_data_runs_only_its_own_listed_flows(self):
        calls = self._demo_flow_calls()
        self.assertLessEqual(
            {module for module, _called, _flow in calls},
            {"crm_value", "crm_lifecycle", "crm_care"},
        )
        self.assertIn(("crm_value", "crm_value", "run_demo_flows"), calls)
        for module, called, flow in calls:
            with self.subTest(module=module, flow=flow):
                self.assertEqual(called, module, "a module runs its own flows")
                demo = importlib.import_module(f"odoo.addons.{module}.demo.demo")
                self.assertIn(flow, demo.DEMO_FLOWS)
                self.assertTrue(callable(demo.DEMO_FLOWS[flow]))

    def test_only_the_loader_runs_a_flow(self):
        admin = self.env.ref("base.user_admin")
        with self.assertRaises(AccessError):
            self.crm_value.with_user(admin)._run_demo_flow("run_demo_flows")
        self.crm_value.demo = False  # a database without demo data
        with self.assertRaises(AccessError):
            self.crm_value._run_demo_flow("run_demo_flows")

    def test_only_listed_flows_run(self):
        self.assertTrue(self.crm_value.demo, "the test database has demo data")
        for flow in ("replay", "_sell", "DEMO_FLOWS", "__init__"):
            with self.subTest(flow=flow), self.assertRaises(ValueError):
                self.crm_value._run_demo_flow(flow)
        base = self.env.ref("base.module_base")
        with self.assertRaisesRegex(ValueError, "no demo/demo.py"):
            base._run_demo_flow("run_demo_flows")

    def test_the_replay_clock(self):
        self.assertEqual(
            month_ends(date(2026, 3, 15), 3),
            [date(2025, 12, 31), date(2026, 1, 31), date(2026, 2, 28)],
        )
        company = self.env["res.company"].create({"name": "Shanghai Demo Clock"})
        company.partner_id.tz = "Asia/Shanghai"
        self.assertEqual(
            moment(company, date(2026, 3, 1), 10), datetime(2026, 3, 1, 2, 0)
        )
