from odoo import api, models
from odoo.exceptions import AccessError

# Who looks after a customer: chosen by a manager, or by the customer's own
# salesperson (the record rules let the representative read its complaints).
CARE_ASSIGNMENT_FIELDS = ("care_user_id", "care_team_id")
# Who owns a customer: changing them hands it (and its care) over.
HANDOVER_FIELDS = ("user_id", "parent_id")


class CrmCareAssignmentMixin(models.AbstractModel):
    """Who may hand a customer to a representative, for res.partner (which
    inherits it and calls these checks from create and write): a manager for
    any customer, the customer's own salesperson for theirs."""

    _name = "crm.care.assignment.mixin"
    _description = "Care Assignment Checks"

    def _may_assign_care(self):
        """Whether the user may choose the representative and care team of any
        customer: who may write the engines' fields (a manager, or the
        engines running as superuser; crm.value.engine.fields.mixin, which
        res.partner inherits too)."""
        return self._may_write_engine_fields()

    @api.model
    def _check_care_assignment_create(self, vals):
        """A new customer gets its representative and team from a manager or
        from its own salesperson; anybody may leave the default (no team, the
        salesperson as representative, a contact's company's)."""
        if self._may_assign_care() or not (CARE_ASSIGNMENT_FIELDS & vals.keys()):
            return
        parent = self.browse(vals.get("parent_id")).commercial_partner_id
        if parent and not vals.get("is_company"):
            # A contact follows its company (base syncs the commercial fields).
            owner = parent.user_id
            default = {"care_user_id": parent.care_user_id.id or False}
            default["care_team_id"] = parent.sudo().care_team_id.id or False
        else:
            owner = self.env["res.users"].browse(vals.get("user_id"))
            default = {"care_user_id": owner.id or False, "care_team_id": False}
        if owner == self.env.user:
            return
        if any(
            (vals[fname] or False) not in (False, default[fname])
            for fname in CARE_ASSIGNMENT_FIELDS
            if fname in vals
        ):
            self._raise_care_assignment_error(vals.get("name") or "")

    def _check_care_assignment_write(self, vals):
        """Refuse to change who looks after customers that are not the user's
        own (their salesperson is someone else), unless the user is a manager.
        Writing back the value a contact's company has (the commercial sync)
        is no change of hands. Handing another salesperson's customer to
        someone else, or under another company (whose representative it
        would then take), is one."""
        if self._may_assign_care():
            return
        user = self.env.user
        if HANDOVER_FIELDS & vals.keys():
            taken = self.sudo().filtered(
                lambda partner: (
                    partner.commercial_partner_id.user_id
                    not in (user, self.env["res.users"])
                    and any(
                        (vals[fname] or False) != (partner[fname].id or False)
                        for fname in HANDOVER_FIELDS
                        if fname in vals
                    )
                )
            )
            if taken:
                raise AccessError(
                    self.env._(
                        "%(customers)s have a salesperson of their own: only they "
                        "or a Customer Value manager can hand them to another "
                        "salesperson or company.",
                        customers=", ".join(taken[:5].mapped("display_name"))
                        + (", ..." if len(taken) > 5 else ""),
                    )
                )
        if not (CARE_ASSIGNMENT_FIELDS & vals.keys()):
            return
        refused = self.browse()
        for partner in self.sudo():
            commercial = partner.commercial_partner_id
            if commercial.user_id == user:
                continue
            for fname in CARE_ASSIGNMENT_FIELDS:
                if fname not in vals:
                    continue
                new = vals[fname] or False
                kept = (partner[fname].id or False, commercial[fname].id or False)
                if new not in kept:
                    refused |= partner
                    break
        if refused:
            self._raise_care_assignment_error(
                ", ".join(refused[:5].mapped("display_name"))
                + (", ..." if len(refused) > 5 else "")
            )

    def _raise_care_assignment_error(self, customers):
        raise AccessError(
            self.env._(
                "Only a Customer Value manager or the customer's own salesperson "
                "can choose who looks after %(customers)s (dedicated "
                "representative and care team). Ask a manager to assign them.",
                customers=customers,
            )
        )
