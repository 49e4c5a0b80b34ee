import sys

from mmstream_research.reproduce import main

sys.exit(main())
