from . import crm_care_complaint_spend_report
from . import crm_care_coverage_report
from . import crm_care_article_usage_report
from . import crm_care_complaint_article_report
