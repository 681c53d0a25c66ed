from . import crm_lifecycle_churn_wizard
