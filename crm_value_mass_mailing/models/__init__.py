from . import mailing_contact
from . import crm_value_segment
