#!/usr/bin/env bash
# Benchmarks heare-stats-core against Micrometer StatsD and java-dogstatsd-client.
#
#   scripts/bench.sh [JMH regex]        e.g. scripts/bench.sh 'CounterBenchmark'
#
# Builds heare-stats-benchmarks/target/benchmarks.jar, runs the JMH suite once per thread
# count (-prof gc and ProcessCpuProfiler, JSON results), runs DeliveryCheck once per client
# for counters and once for timings (one JVM each), and prints one Markdown report (also written to $OUT/report.md). When
# RequestInstrumentationBenchmark ran, the report has an "instrumentation" section: the ns,
# CPU ns and bytes per request that our filter and @Timed advice add to their baselines.
#
#   scripts/bench.sh RequestInstrumentationBenchmark     # the instrumentation only
#
# Environment (defaults in brackets):
#   THREADS            thread counts to run JMH at                        ["1 2"]
#   JMH_OPTS           JMH run options                                    ["-f 1 -wi 3 -w 2s -i 5 -r 2s"]
#   DELIVERY_SECONDS   recording time of each DeliveryCheck               [10]
#   DELIVERY_WAIT      seconds to wait after close before reading the sink [5]
#   DELIVERY_CLIENTS   clients for DeliveryCheck                          ["micrometer datadog ours-udp"]
#                      (also: datadog-noagg datadog-blocking)
#   PROFILERS          JMH profilers        ["-prof gc -prof io.heare.stats.bench.ProcessCpuProfiler"]
#   SKIP_BUILD=1       reuse the existing jar
#   SKIP_JMH=1 / SKIP_DELIVERY=1
#   OUT                result folder  [heare-stats-benchmarks/target/bench-results]
#   UPDATE_README=1    also write the report, with the run's settings, commit and machine,
#                      between the bench:results markers of heare-stats-benchmarks/README.md
#
# Nothing here runs during `./mvnw verify`.
set -euo pipefail
cd "$(dirname "$0")/.."

FILTER=${1:-}
STARTED="$(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
THREADS=${THREADS:-"1 2"}
JMH_OPTS=${JMH_OPTS:-"-f 1 -wi 3 -w 2s -i 5 -r 2s"}
DELIVERY_SECONDS=${DELIVERY_SECONDS:-10}
DELIVERY_WAIT=${DELIVERY_WAIT:-5}
DELIVERY_CLIENTS=${DELIVERY_CLIENTS:-"micrometer datadog ours-udp"}
# ProcessCpuProfiler adds cpu.norm: CPU of every JVM thread per op (the sender's too), which
# the instrumentation budget is about and AverageTime of the request thread does not show.
PROFILERS=${PROFILERS:-"-prof gc -prof io.heare.stats.bench.ProcessCpuProfiler"}
OUT=${OUT:-heare-stats-benchmarks/target/bench-results}
JAR=heare-stats-benchmarks/target/benchmarks.jar
JAVA=${JAVA:-java}

if [[ -z "${SKIP_BUILD:-}" ]]; then
	echo "== building $JAR"
	./mvnw -B -q -pl heare-stats-benchmarks -am package -DskipTests
fi
mkdir -p "$OUT"

jsons=()
if [[ -z "${SKIP_JMH:-}" ]]; then
	for t in $THREADS; do
		json="$OUT/jmh-t$t.json"
		log="$OUT/jmh-t$t.log"
		rm -f "$json"
		echo "== JMH at $t thread(s): $JMH_OPTS $PROFILERS (log: $log)"
		# shellcheck disable=SC2086
		set +e
		# Micrometer's counter has no steady state at 2+ threads (one caller ends up draining the
		# other's queue) and can hang there for good; it gets its own bounded run.
		exclude=()
		[[ "$t" -gt 1 ]] && exclude=(-e 'CounterBenchmark.micrometer')
		"$JAVA" -jar "$JAR" $FILTER "${exclude[@]}" $JMH_OPTS -t "$t" $PROFILERS -rf json -rff "$json" >"$log" 2>&1
		rc=$?
		if [[ "$t" -gt 1 && ( -z "$FILTER" || "CounterBenchmark.micrometer" =~ $FILTER ) ]]; then
			echo "   CounterBenchmark.micrometer at $t threads, at most ${MICROMETER_LIMIT:-120}s"
			timeout "${MICROMETER_LIMIT:-120}" "$JAVA" -jar "$JAR" 'CounterBenchmark.micrometer' $JMH_OPTS -t "$t" \
				-prof gc -rf json -rff "$OUT/jmh-t$t-micrometer.json" >"$OUT/jmh-t$t-micrometer.log" 2>&1 \
				|| echo "   ... no result within the limit: no steady state"
			[[ -s "$OUT/jmh-t$t-micrometer.json" ]] && jsons+=("$OUT/jmh-t$t-micrometer.json")
		fi
		set -e
		grep -E '^# (Benchmark|Parameters):|^Result "|<failure>' "$log" | sed 's/^/   /' || true
		if [[ $rc -ne 0 ]]; then
			echo "   JMH exited with $rc (a failing benchmark, e.g. our client not wired, does not stop the others)"
		fi
		[[ -s "$json" ]] && jsons+=("$json")
	done
else
	for t in $THREADS; do
		[[ -s "$OUT/jmh-t$t.json" ]] && jsons+=("$OUT/jmh-t$t.json")
		[[ -s "$OUT/jmh-t$t-micrometer.json" ]] && jsons+=("$OUT/jmh-t$t-micrometer.json")
	done
fi

if [[ -z "${SKIP_DELIVERY:-}" ]]; then
	rmem_max=$(cat /proc/sys/net/core/rmem_max 2>/dev/null || echo 0)
	if [[ $rmem_max -lt 8388608 ]]; then
		echo "   note: net.core.rmem_max=$rmem_max caps the sink's 8 MB SO_RCVBUF; if 'kernel drops' is not 0,"
		echo "   the sink lost datagrams too (as root: sysctl -w net.core.rmem_max=16777216)"
	fi
	echo "== DeliveryCheck: $DELIVERY_CLIENTS, ${DELIVERY_SECONDS}s each"
	header=""
	: >"$OUT/delivery.md"
	for c in $DELIVERY_CLIENTS; do
		"$JAVA" -cp "$JAR" io.heare.stats.bench.DeliveryCheck --seconds="$DELIVERY_SECONDS" \
			--wait="$DELIVERY_WAIT" $header "$c" 2>>"$OUT/delivery.log" | tee -a "$OUT/delivery.md" >/dev/null
		header="--no-header"
	done
	echo "== DeliveryCheck --timers: $DELIVERY_CLIENTS, ${DELIVERY_SECONDS}s each"
	header=""
	: >"$OUT/delivery-timers.md"
	for c in $DELIVERY_CLIENTS; do
		"$JAVA" -cp "$JAR" io.heare.stats.bench.DeliveryCheck --timers --seconds="$DELIVERY_SECONDS" \
			--wait="$DELIVERY_WAIT" $header "$c" 2>>"$OUT/delivery.log" | tee -a "$OUT/delivery-timers.md" >/dev/null
		header="--no-header"
	done
fi

{
	echo "## JMH (AverageTime, median ns/op of the iterations; B/op from -prof gc; ratio = ours / faster peer at 1 / 2 threads)"
	echo
	echo "Options: $JMH_OPTS; machine: $(nproc) cores, $("$JAVA" -version 2>&1 | head -1)"
	echo
	if [[ ${#jsons[@]} -gt 0 ]]; then
		"$JAVA" -cp "$JAR" io.heare.stats.bench.ReportTable "${jsons[@]}"
	else
		echo "(no JMH results)"
	fi
	failed=$(for t in $THREADS; do
		[[ -f "$OUT/jmh-t$t.log" ]] || continue
		awk -v t="$t" '/^# Benchmark:/ { b = $3; p = "" } /^# Parameters:/ { sub(/^# Parameters: /, ""); p = " " $0 }
			/<failure>/ && !seen[b p]++ { print "- " b p " at " t " thread(s)" }' "$OUT/jmh-t$t.log"
	done)
	if [[ -n "$failed" ]]; then
		echo
		echo "Failed, not measured (details in $OUT/jmh-t*.log):"
		echo "$failed" | sed 's/io\.heare\.stats\.bench\.//'
	fi
	if [[ -s "$OUT/delivery.md" ]]; then
		echo
		echo "## Delivery"
		echo
		cat "$OUT/delivery.md"
	fi
	if [[ -s "$OUT/delivery-timers.md" ]]; then
		echo
		echo "## Delivery of timings"
		echo
		cat "$OUT/delivery-timers.md"
	fi
} | tee "$OUT/report.md"

if [[ -n "${UPDATE_README:-}" ]]; then
	commit=$(git rev-parse --short HEAD)
	# Changes to Markdown files do not change what was measured.
	git diff --quiet HEAD -- . ':!*.md' || commit="$commit with local changes"
	{
		echo "<!-- Written by scripts/bench.sh (UPDATE_README=1); do not edit by hand. -->"
		echo
		echo "From one run of \`scripts/bench.sh${FILTER:+ '$FILTER'}\` at commit $commit, started $STARTED:"
		echo "threads \`$THREADS\`, JMH \`$JMH_OPTS\`, DeliveryCheck ${DELIVERY_SECONDS} s per client."
		echo
		sed 's/^## /### /' "$OUT/report.md"
	} >"$OUT/readme-section.md"
	scripts/readme-section.sh bench "$OUT/readme-section.md"
fi
