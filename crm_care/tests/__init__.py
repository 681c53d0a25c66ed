from . import test_install
from . import test_care_plans
from . import test_surveys
from . import test_complaints
from . import test_complaint_portal
from . import test_complaint_intake
from . import test_care_roles
from . import test_access_matrix
