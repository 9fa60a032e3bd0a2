"""Command groups of the claimgraph CLI, one module per stage."""
