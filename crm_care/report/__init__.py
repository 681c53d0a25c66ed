from . import crm_care_coverage_report
