"""Connected components of a graph given as an RDD of edges, each node labelled with the smallest node of its
component (so a component's label is the id every store gives it: the smallest report or document id).

Label propagation: every node takes the smallest label among itself and its neighbours until none changes; the
number of rounds is the longest shortest path in a component (small here: a chain of agreeing reports, or of
copies, is short).
"""
from __future__ import annotations

__all__ = ["connected_components"]

_CHECKPOINT_EVERY = 8       # rounds between truncating the lineage (a long chain would otherwise grow the plan)


def connected_components(edges, partitions: int):
    """RDD of (a, b) → RDD of (node, smallest node of its component), for the nodes that have an edge. Every shuffle
    has `partitions` partitions (a union would otherwise double them each round)."""
    from pyspark import StorageLevel

    keep = StorageLevel.MEMORY_AND_DISK
    adjacency = edges.flatMap(lambda e: ((e[0], e[1]), (e[1], e[0]))).distinct(partitions).persist(keep)
    labels = adjacency.map(lambda e: (e[0], min(e))).reduceByKey(min, partitions).persist(keep)
    rounds = 0
    while True:
        rounds += 1
        spread = adjacency.join(labels, partitions).map(lambda x: (x[1][0], x[1][1]))
        updated = labels.union(spread).reduceByKey(min, partitions).persist(keep)
        if rounds % _CHECKPOINT_EVERY == 0:
            updated.localCheckpoint()
        changed = updated.join(labels, partitions).filter(lambda x: x[1][0] != x[1][1]).count()
        labels.unpersist()
        labels = updated
        if not changed:
            break
    adjacency.unpersist()
    return labels
