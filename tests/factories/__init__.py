"""factory_boy factories, one module per app (tests/factories/<app>.py); every name is also
importable from here (``from tests import factories``; ``factories.DecisionFactory``)."""

from tests.factories.casefile import *  # noqa: F403 -- the package's names are the modules' names
from tests.factories.complaints import *  # noqa: F403
from tests.factories.councils import *  # noqa: F403
from tests.factories.ombudsman import *  # noqa: F403
from tests.factories.reviews import *  # noqa: F403
