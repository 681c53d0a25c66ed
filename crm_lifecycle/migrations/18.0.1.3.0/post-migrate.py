"""The churn warning's activity type is data users may edit (noupdate): its
new action, asking a churn reason when it is marked done, is set here."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE mail_activity_type t SET category = 'churn_reason'
          FROM ir_model_data d
         WHERE d.model = 'mail.activity.type' AND d.res_id = t.id
           AND d.module = 'crm_lifecycle'
           AND d.name = 'mail_activity_type_churn_warning'
           AND t.category = 'default'
        """
    )
