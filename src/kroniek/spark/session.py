"""The SparkSession of a job, and what is missing when there cannot be one (one line each, with what to do)."""
from __future__ import annotations

import os
import shutil
import sys

from ..errors import KroniekError

__all__ = ["SparkUnavailable", "require_spark", "spark_session"]


class SparkUnavailable(KroniekError):
    """pyspark or Java is missing."""


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", "java"), os.X_OK):
        return os.path.join(home, "bin", "java")
    return shutil.which("java")


def require_spark() -> None:
    """Raise SparkUnavailable (K241: no pyspark, K242: no Java) before anything starts."""
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise SparkUnavailable(f"pyspark is not installed ({exc}) [K241]; install it with "
                               "pip install 'kroniek[spark]'") from exc
    if _java() is None:
        raise SparkUnavailable("Java is not installed: Spark needs a Java 17 or newer runtime [K242]; install one "
                               "(Debian: apt-get install default-jre-headless) or set JAVA_HOME")


def spark_session(master: str | None = None, partitions: int | None = None, app_name: str = "kroniek"):
    """A SparkSession on `master` (default: `local[*]`, or what spark-submit set). Directories are read
    recursively, as `kroniek ingest` reads them."""
    require_spark()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    elif not os.environ.get("SPARK_HOME") and "spark.master" not in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        builder = builder.master("local[*]")
    if partitions:
        builder = builder.config("spark.default.parallelism", str(partitions))
        builder = builder.config("spark.sql.shuffle.partitions", str(partitions))
    local = (master or "local").startswith("local") and not os.environ.get("SPARK_HOME")
    if local and not os.environ.get("PYSPARK_PYTHON"):
        # local workers run this Python (where Kroniek is installed), not the first python3 on PATH: a venv that is
        # not activated (.venv/bin/kroniek spark ...) would otherwise give workers without Kroniek
        # (pyspark reads the workers' Python from PYSPARK_PYTHON when the context starts, not from its conf)
        os.environ["PYSPARK_PYTHON"] = sys.executable
    builder = builder.config("spark.ui.showConsoleProgress", "false").config("spark.ui.enabled", "false")
    try:
        spark = builder.getOrCreate()
    except Exception as exc:        # the JVM did not start: Java too old, or broken
        raise SparkUnavailable(f"Spark could not start ({exc.__class__.__name__}: {str(exc)[:160]}) [K242]; "
                               "check that Java 17 or newer is installed (java -version) or set JAVA_HOME") from exc
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext._jsc.hadoopConfiguration().set("mapreduce.input.fileinputformat.input.dir.recursive", "true")
    return spark
