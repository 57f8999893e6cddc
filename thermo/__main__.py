import sys

from thermo.cli import main

sys.exit(main())
