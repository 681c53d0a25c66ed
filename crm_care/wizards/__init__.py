from . import crm_care_assign_wizard
