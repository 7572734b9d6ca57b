"""`python -m kompass`: the same command as `kompass` (for example `python -m kompass serve`)."""

import sys

from kompass.cli import main

if __name__ == "__main__":
    sys.exit(main())
