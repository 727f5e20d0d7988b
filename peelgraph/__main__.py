"""``python -m peelgraph``."""

from peelgraph.cli import main

main()
