from . import test_install
from . import test_lifecycle_path
from . import test_rules
from . import test_lifecycle_reports
from . import test_order_cadence
from . import test_engine
from . import test_rule_safety
from . import test_roles
