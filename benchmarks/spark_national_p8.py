"""National Progress 8 on a Spark cluster: the same Ibis expression, read from Parquet.

Submit with ``spark-submit`` (the cluster's master and resources come from its command line;
nothing here says ``local``)::

    spark-submit --master yarn --deploy-mode client --num-executors 8 --executor-cores 4 \\
        --executor-memory 8g --conf spark.sql.shuffle.partitions=64 \\
        --py-files trustlens.zip benchmarks/spark_national_p8.py \\
        --ks4 s3a://bucket/ks4/ --out s3a://bucket/p8/

``--ks4``: Parquet with ``urn``, ``trust_id``, ``academic_year``, ``ks2_reading_scaled``,
``ks2_maths_scaled``, ``attainment8`` (one row per pupil; a folder of files is fine). The
benchmark writes such a file: ``python benchmarks/national_p8.py --write-parquet DIR``.
Writes ``schools/`` and ``trusts/`` Parquet under ``--out`` and prints the timings.
``--local`` runs it on this machine (``local[2]``) for a check.
"""

from __future__ import annotations

import argparse
import json
import time


def session(local: bool):
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("trustlens-national-p8")
    if local:
        builder = builder.master("local[2]").config("spark.driver.host", "127.0.0.1")
    return builder.config("spark.sql.ansi.enabled", "false").getOrCreate()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ks4", required=True, help="Parquet file or folder of pupil rows")
    parser.add_argument("--out", required=True, help="folder for schools/ and trusts/ Parquet")
    parser.add_argument("--local", action="store_true", help="local[2] instead of spark-submit")
    args = parser.parse_args()

    import ibis

    from trustlens.analytics import rollup
    from trustlens.analytics.measures.progress8 import progress8

    spark = session(args.local)
    started = time.perf_counter()
    spark.read.parquet(args.ks4).createOrReplaceTempView("ks4")
    con = ibis.pyspark.connect(spark)
    by = ("urn", "trust_id", "academic_year")
    schools = con.execute(progress8(con.table("ks4"), None, by=by))  # small: one row a school
    computed = time.perf_counter()
    trusts = rollup.pool(schools, ("trust_id", "academic_year"))
    for name, frame in (("schools", schools), ("trusts", trusts)):
        spark.createDataFrame(frame).write.mode("overwrite").parquet(f"{args.out}/{name}")
    timings = {
        "schools": len(schools),
        "trusts": len(trusts),
        "p8_seconds": round(computed - started, 3),
        "total_seconds": round(time.perf_counter() - started, 3),
    }
    print(json.dumps(timings))


if __name__ == "__main__":
    main()
