from . import test_install
from . import test_profit
from . import test_tiers
from . import test_scores
from . import test_matching
from . import test_sql_arrays
