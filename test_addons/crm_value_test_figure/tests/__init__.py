from . import test_noted_invoices_figure
