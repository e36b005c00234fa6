#!/usr/bin/env python
"""Django's manage.py; `tandem` (see tandem/cli.py) is the same thing under its own name."""

from tandem.cli import main

if __name__ == "__main__":
    main()
