"""``python -m claimgraph``: the same CLI as the ``claimgraph`` console script."""

from claimgraph.cli import main

if __name__ == "__main__":  # not when multiprocessing re-imports the main module
    main()
