from odoo import api, models


class CrmLifecycleChurnWarning(models.AbstractModel):
    """The early warning of churn: an activity for whoever looks after a
    customer entering an at-risk stage, saying why, closed when the customer
    comes back."""

    _name = "crm.lifecycle.churn.warning"
    _description = "Customer Lifecycle Churn Warning"

    @api.model
    def _raise(self, partners, reasons, responsible):
        """Schedule an activity saying why, for each customer entering at risk
        who has no churn warning open, due on the company's day it is raised,
        in the language of the user warned. `reasons`: {partner id: the facts
        of their move} (crm.lifecycle.facts._get_reason_facts);
        `responsible`: {partner id: user warned}."""
        activity_type = self.env.ref(
            "crm_lifecycle.mail_activity_type_churn_warning", raise_if_not_found=False
        )
        if not responsible or not activity_type:
            return
        company = partners.env.company
        today = company._get_value_today()
        model_id = self.env["ir.model"]._get_id("res.partner")
        warned = set(self._get_open(partners).mapped("res_id"))
        History = self.env["crm.lifecycle.history"]
        vals_list = []
        for partner in partners:
            user = responsible.get(partner.id)
            if not user or partner.id in warned:
                continue
            # For one person: their language, whoever runs the evaluation.
            in_lang = partner.with_context(lang=user.lang)
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "summary": History.with_context(lang=user.lang)._render_reason(
                        "rule", reasons.get(partner.id) or {}
                    ),
                    "note": in_lang.lifecycle_stage_id.action_note,
                    "user_id": user.id,
                    "date_deadline": today,
                }
            )
        # Activities for other users, on customers the evaluating user may not
        # follow: the warning is the system's.
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(vals_list)

    @api.model
    def _get_open(self, partners):
        """The churn warnings still open on these customers."""
        activity_type = self.env.ref(
            "crm_lifecycle.mail_activity_type_churn_warning", raise_if_not_found=False
        )
        if not partners or not activity_type:
            return self.env["mail.activity"]
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("activity_type_id", "=", activity_type.id),
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", partners.ids),
                ]
            )
        )

    @api.model
    def _close(self, partners):
        """The churn warnings still open on these customers, who came back
        (they left the at-risk stage for a living one), are marked done: a
        warning is about the customer on the day it was raised."""
        warnings = self._get_open(partners)
        # The feedback is read by the warned user, in their language.
        for lang, activities in warnings.grouped(lambda a: a.user_id.lang).items():
            activities.with_context(lang=lang).action_feedback(
                feedback=self.with_context(lang=lang).env._(
                    "The customer came back: the warning is closed."
                )
            )
