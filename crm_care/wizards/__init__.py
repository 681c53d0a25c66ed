from . import crm_care_assign_wizard
from . import crm_care_survey_wizard
