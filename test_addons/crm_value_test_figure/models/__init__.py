from . import crm_value_figure_noted_invoices
