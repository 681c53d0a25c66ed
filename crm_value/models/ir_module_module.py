import importlib

from odoo import models
from odoo.exceptions import AccessError


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _update_translations(self, filter_lang=None, overwrite=False):
        """While modules load, the loader calls this once per module installed
        or updated, after its data and before committing it
        (odoo/modules/loading.py): the module's tiers are checked as a whole
        there, so a module whose data breaks the tier set fails to load and
        leaves the set as it was. ir.model.data._process_end checks again
        once the loader has removed the records modules no longer define."""
        result = super()._update_translations(filter_lang, overwrite)
        if not self.env.registry.ready:
            self.env["crm.value.tier"]._check_all_rules()
        return result

    def _run_demo_flow(self, flow):
        """Run the demo flow named `flow` of this module: a function of `env`
        that the module's demo/demo.py lists in DEMO_FLOWS. Its demo data calls
        it (``<function model="ir.module.module" name="_run_demo_flow">`` with
        the module's record and the flow's name) where the flow must run among
        its records, as Odoo's own demo data calls model methods; the flows
        are plain Python, not a model in every database.

        Refused but as superuser (the loader; never over RPC: the method is
        private) and for a module with demo data (Odoo marks it before loading
        it, also when demo data is loaded later); anything but a listed flow
        is refused. Superuser code (a shell, an administrator's server action)
        could still replay a flow on a demo database: the loader gives a
        <function> call no context to tell it apart."""
        self.ensure_one()
        self.invalidate_recordset(["demo"])  # the loader writes it in SQL
        if not (self.env.su and self.demo):
            raise AccessError(
                self.env._("Demo flows run only while demo data is loading.")
            )
        try:
            demo = importlib.import_module(f"odoo.addons.{self.name}.demo.demo")
        except ModuleNotFoundError as error:
            raise ValueError(f"{self.name} has no demo/demo.py") from error
        flows = getattr(demo, "DEMO_FLOWS", {})
        if flow not in flows:
            raise ValueError(f"{self.name} has no demo flow {flow!r}")
        flows[flow](self.env)
