from . import crm_lifecycle_churn_report
from . import crm_lifecycle_funnel_report
from . import crm_lifecycle_lost_report
