from . import crm_value_receivable_report
