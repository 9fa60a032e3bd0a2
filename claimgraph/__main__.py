"""``python -m claimgraph``: the same CLI as the ``claimgraph`` console script."""

from claimgraph.cli import main

main()
