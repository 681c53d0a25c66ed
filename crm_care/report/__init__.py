from . import crm_care_complaint_spend_report
from . import crm_care_coverage_report
