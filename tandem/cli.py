"""The `tandem` command: Django's management commands under one name.

`tandem demo`, `tandem serve`, `tandem import maven DIR`, `tandem export deals --format csv`, and
every Django command (`tandem migrate`, `tandem createsuperuser`, ...).
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    # Django reads DJANGO_SETTINGS_MODULE when it is imported: set it first
    from django.core.management import execute_from_command_line

    argv = ["tandem", *sys.argv[1:]]
    if len(argv) == 1:
        argv.append("help")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
