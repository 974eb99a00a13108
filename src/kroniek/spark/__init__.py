"""`kroniek spark ingest`: the pipeline and the consolidation across documents as a Spark job, for a corpus that
outgrows one machine.

Nothing here decides anything of its own: the stages are `kroniek.pipeline`'s, copies are found with
`consolidate.near_duplicates`, and events are made with `consolidate.across` (`block_keys`, `same_event`,
`cluster_reports`, `merge_reports`), so the same input gives the same events and ids as `kroniek ingest` into DuckDB.

  session.py     the SparkSession, and one-line errors when Java or pyspark is missing (K241, K242)
  read.py        paths any Spark reads (local, HDFS, S3) → (order, RawDocument | Rejected), as read_sources reads them
  stages.py      the pipeline in mapPartitions (each Python worker loads lexicons and gazetteer once)
  components.py  connected components of an RDD of edges (labels: the smallest node)
  consolidate.py copies → documents; block keys → candidate pairs → same_event → components → cluster and merge
  write.py       DIR/events/ and DIR/documents/ as Parquet datasets in export.py's shapes
  job.py         the whole job; cli.py the command
"""
