#!/usr/bin/env bash
# What a request costs a real Spring Boot application with no metrics, with our starter
# (http to a loopback sink) and with Boot's Micrometer observation exporting to StatsD:
# CPU of the application process (/proc/<pid>/stat) and bytes allocated by its threads,
# per request, on Java 17 (platform threads) and Java 25 (virtual threads).
#
#   scripts/request-cost.sh
#   ROUNDS=1 WARMUP=10 SECONDS_MEASURED=10 scripts/request-cost.sh     # a quick look
#
# Builds heare-stats-benchmarks with the Maven wrapper (nothing installed), then runs
# io.heare.stats.bench.requestcost.RequestCost, which starts io.heare.stats.bench.requestcost.CostApp
# once per variant and round (interleaved), drives it from 8 keep-alive connections and
# prints one Markdown table (also written to $OUT/request-cost.md). A fourth variant runs
# our starter in one application whose filter the driver switches on and off (a 20 ms
# window 5 ms after each switch; the sender's threads are charged per request from 10 s with
# the filter on before the pairs and 10 s after them),
# which measures what it adds without the differences between one JVM and the next; each
# of its windows is also written to $OUT/request-cost-windows.csv (CPU per request by
# thread, bytes, and the time the hypervisor stole from each processor meanwhile). The
# defaults take about 45 minutes on an idle 2-core machine: 3 rounds x 2 JDKs x (3
# variants x (start-up + warm-up + 15 s) + (start-up + warm-up + 145 s)).
#
# Environment (defaults in brackets):
#   JAVA17       java for the Java 17 rows          [the first java 17 found]
#   JAVA25       java for the virtual-thread rows   [/usr/lib/jvm/temurin-25-jdk-amd64/bin/java];
#                empty to skip those rows
#   ROUNDS [3]  SECONDS_MEASURED [15]  CONNECTIONS [8]
#   SWITCH_PAIRS [2000]  pairs of windows, one with the filter on and one with it off, per
#                switched run
#   WARMUP [15]  MAX_WARMUP [60]   warm-up: at least WARMUP s, then 5 s windows until two in a
#                row agree on the CPU per request within 5%, at most MAX_WARMUP s
#   OTHER_OURS   a class path file (target/app.classpath plus target/classes of another
#                checkout, see below) for a fourth variant: our starter from that build
#                (e.g. main before a change), measured in the same rounds
#   APP_CPUS, DRIVER_CPUS  e.g. 0 and 1: the application under taskset on APP_CPUS, the
#                driver and the sinks on DRIVER_CPUS, so that the application's CPU time is
#                its own work and not contention with the driver  [unset: no pinning]
#   SKIP_BUILD=1 reuse the last build
#   UPDATE_README=1  also write the table, with the run's settings and commit, between the
#                request-cost:results markers of heare-stats-benchmarks/README.md
#   OUT          [heare-stats-benchmarks/target/bench-results]
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-15}
MAX_WARMUP=${MAX_WARMUP:-60}
SECONDS_MEASURED=${SECONDS_MEASURED:-15}
SWITCH_PAIRS=${SWITCH_PAIRS:-2000}
CONNECTIONS=${CONNECTIONS:-8}
OUT=${OUT:-heare-stats-benchmarks/target/bench-results}
if [[ -z "${JAVA17:-}" ]]; then
    for candidate in /usr/lib/jvm/java-17-openjdk-amd64/bin/java /usr/lib/jvm/*17*/bin/java "$(command -v java)"; do
        if [[ -x "$candidate" ]] && "$candidate" -version 2>&1 | grep -q 'version "17'; then
            JAVA17=$candidate
            break
        fi
    done
fi
JAVA25=${JAVA25-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
: "${JAVA17:?no Java 17 found: set JAVA17}"

# The commit as built: the checkout may change while the run goes on.
COMMIT=$(git rev-parse --short HEAD)
# Changes to Markdown files do not change what was measured.
git diff --quiet HEAD -- . ':!*.md' || COMMIT="$COMMIT with local changes"

if [[ -z "${SKIP_BUILD:-}" ]]; then
    ./mvnw -B -q -pl heare-stats-benchmarks -am package dependency:build-classpath \
        -Dmdep.outputFile=target/app.classpath -DskipTests -DskipConsumerChecks
fi
CP="$PWD/heare-stats-benchmarks/target/classes:$(cat heare-stats-benchmarks/target/app.classpath)"

EXTRA=()
if [[ -n "${OTHER_OURS:-}" ]]; then
    EXTRA+=(--other-ours=@"$OTHER_OURS")
fi
JDKS=(--jdk=17:"$JAVA17")
if [[ -n "$JAVA25" ]]; then
    JDKS+=(--jdk=25vt:"$JAVA25")
fi
mkdir -p "$OUT"
rm -f "$OUT/request-cost-windows.csv"
STARTED="$(date -u '+%Y-%m-%d %H:%M UTC')"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
SECONDS=0
echo "load before: $LOAD_BEFORE" >&2
DRIVER=("$JAVA17")
if [[ -n "${APP_CPUS:-}" ]]; then
    EXTRA+=(--app-cpus="$APP_CPUS")
    DRIVER=(taskset -c "${DRIVER_CPUS:?set DRIVER_CPUS beside APP_CPUS}" "$JAVA17")
fi
"${DRIVER[@]}" -cp "$CP" io.heare.stats.bench.requestcost.RequestCost --app-classpath="$CP" "${JDKS[@]}" \
    --rounds="$ROUNDS" --warmup="$WARMUP" --max-warmup="$MAX_WARMUP" --seconds="$SECONDS_MEASURED" \
    --connections="$CONNECTIONS" --switch-pairs="$SWITCH_PAIRS" \
    --switch-windows-file="$OUT/request-cost-windows.csv" "${EXTRA[@]}" \
    | tee "$OUT/request-cost.md"
echo "load after: $(cat /proc/loadavg)" >&2

if [[ -n "${UPDATE_README:-}" ]]; then
    {
        echo "<!-- Written by scripts/request-cost.sh (UPDATE_README=1); do not edit by hand. -->"
        echo
        echo "From one run of \`scripts/request-cost.sh\` (ROUNDS=$ROUNDS, WARMUP=$WARMUP, MAX_WARMUP=$MAX_WARMUP,"
        echo "SECONDS_MEASURED=$SECONDS_MEASURED, SWITCH_PAIRS=$SWITCH_PAIRS${APP_CPUS:+, APP_CPUS=$APP_CPUS, DRIVER_CPUS=$DRIVER_CPUS}${OTHER_OURS:+, OTHER_OURS}) at commit $COMMIT, started $STARTED, $SECONDS s in all;"
        echo "load average before the run $LOAD_BEFORE; machine: $(nproc) cores."
        echo
        cat "$OUT/request-cost.md"
    } >"$OUT/readme-section.md"
    scripts/readme-section.sh request-cost "$OUT/readme-section.md"
fi
