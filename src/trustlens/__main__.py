"""``python -m trustlens`` runs the ``trustlens`` command."""

from trustlens.cli import main

main()
