"""``python -m horchposten`` runs the command line."""

from horchposten.cli import main

main()
