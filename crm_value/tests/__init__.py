from . import test_install
from . import test_profit
from . import test_tiers
from . import test_scores
from . import test_sql_arrays
from . import test_dashboard
from . import test_dashboard_rpc
from . import test_demo
