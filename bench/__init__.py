"""claimgraph.bench: speed benchmarks, reported as ratios against in-process baselines."""
