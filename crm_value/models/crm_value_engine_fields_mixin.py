from odoo import api, models
from odoo.exceptions import AccessError

from ..groups import MANAGER


class CrmValueEngineFieldsMixin(models.AbstractModel):
    """Fields that only the engines (as superuser) and Customer Value managers
    write: forms show them read-only, and RPC must not write them either. A
    create, a write or a default (from the context, as a list grouped by tier
    passes `default_value_tier_id`, or a personal ir.default) holding one is
    refused to anyone else.

    A model inherits this mixin before its own model in `_inherit` (the check
    runs before the model's other create and write overrides) and lists the
    fields in `_get_engine_fields`."""

    _name = "crm.value.engine.fields.mixin"
    _description = "Fields Set by the Engines"

    def _get_engine_fields(self):
        """Names of the fields only the engines and managers write; extend it
        (return super's set with your fields)."""
        return set()

    def _may_write_engine_fields(self):
        return self.env.su or self.env.user.has_group(MANAGER)

    def _check_engine_fields_write(self, vals):
        """Refuse `vals` (of a create, or of a write on these records) when
        they hold engine fields and the user may not write them. Addons
        extend it to let some of those writes through (they remove the fields
        they allow from `vals` before calling super)."""
        if self._may_write_engine_fields():
            return
        refused = self._get_engine_fields() & vals.keys()
        if refused:
            raise AccessError(self._get_engine_fields_refusal(sorted(refused)))

    def _get_engine_fields_refusal(self, fnames):
        """Why a write of the engine fields `fnames` is refused, for the user;
        a model whose fields come from elsewhere says so."""
        names = [
            self._fields[fname].get_description(self.env)["string"] for fname in fnames
        ]
        return self.env._(
            "%(fields)s are set by the nightly recompute; only Customer Value "
            "managers can change them by hand.",
            fields=", ".join(names),
        )

    @api.model
    def default_get(self, fields_list):
        # A default is a write too: the engine fields get none for users who
        # may not write them.
        if not self._may_write_engine_fields():
            refused = self._get_engine_fields()
            fields_list = [fname for fname in fields_list if fname not in refused]
        return super().default_get(fields_list)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.browse()._check_engine_fields_write(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_engine_fields_write(vals)
        return super().write(vals)
