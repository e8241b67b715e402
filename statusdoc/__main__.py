import sys

from statusdoc.cli import main

sys.exit(main())
