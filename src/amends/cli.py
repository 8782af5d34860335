"""The `amends` console command: Django's management commands under one name.

`amends intake eml FILE`, `amends bench pages --cases N`, `amends migrate`, `amends runserver` ...
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amends.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
