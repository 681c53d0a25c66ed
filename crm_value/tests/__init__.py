from . import test_install
from . import test_profit
from . import test_tiers
from . import test_scores
