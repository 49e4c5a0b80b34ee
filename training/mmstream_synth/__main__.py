"""python -m mmstream_synth --task emotion|genre --count N --out DIR --seed S [--difficulty D] [--jobs J]"""

import sys

from .cli import main

sys.exit(main())
