#!/usr/bin/env bash
# The benchmark in one command: builds the product, then measures it against a raw java.net.http baseline on the
# embedded simulator and writes bench/results.md. Options (all optional): --items-per-queue=3400 --latency-ms=10
# --concurrency=1,4,16 --export-mib=1024 --recurring-items=100000 --recurring-new=1000 --only=purge|recurring|export
# --results=bench/results.md
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
classpath="target/classes:target/test-classes:$(cat target/bench.classpath)"
rm -rf target/bench-classes
javac -d target/bench-classes -cp "$classpath" $(find bench/src -name '*.java')
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "target/bench-classes:$classpath" io.github.orchestratorqueueroutes.bench.QueueRoutesBenchmark "$@"
