"""python -m mmstream_corpora import emodb|meld|goemotions --data DIR --out DIR"""

import sys

from .cli import main

sys.exit(main())
