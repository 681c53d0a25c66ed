from odoo import api, models
from odoo.exceptions import AccessError


class CrmValueSharedMixin(models.AbstractModel):
    """Configuration that applies to one company, or to every company.

    A record with a company (or a model with no company field: stages, RFM
    segments) changes the figures of every company that uses it. A company's
    manager changes what applies to their company; a shared record changes
    only by a manager who works in every company, since it moves the tiers
    and stages of companies they do not manage. Loading data (superuser) is
    not concerned.
    """

    _name = "crm.value.shared.mixin"
    _description = "Configuration Shared by Companies"

    def _get_shared_records(self):
        """The records among these that apply to every company."""
        if "company_id" not in self._fields:
            return self
        return self.filtered(lambda record: not record.company_id)

    def _check_shared_edit(self):
        if self.env.su or not self._get_shared_records():
            return
        missing = self.env["res.company"].sudo().search([]) - self.env.user.company_ids
        if missing:
            raise AccessError(
                self.env._(
                    "%(model)s records without a company apply to every company, "
                    "including %(companies)s, which you do not work in: only a "
                    "manager of every company can change them. Set a company to "
                    "make a record of your own.",
                    model=self._description,
                    companies=", ".join(missing.mapped("name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._check_shared_edit()
        return records

    def write(self, vals):
        self._check_shared_edit()  # shared before the write
        result = super().write(vals)
        self._check_shared_edit()  # or made shared by it
        return result

    def unlink(self):
        self._check_shared_edit()
        return super().unlink()
