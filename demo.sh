#!/usr/bin/env bash
# The heare-stats demo: builds the project, starts a local collector and the Spring MVC
# sample reporting to it, sends some traffic, prints what the collector received and the
# dashboard URL, then keeps both running until Ctrl-C.
#
#   ./demo.sh           run until Ctrl-C
#   ./demo.sh --once    exit after the summary
#
# Ports: COLLECTOR_PORT (default 8080), STATSD_PORT (8125), SAMPLE_PORT (8081); a default
# that is taken is replaced by a free port. Set SKIP_BUILD=1 to reuse the last build.
set -euo pipefail
cd "$(dirname "$0")"

once=false
case "${1:-}" in
	--once) once=true ;;
	"") ;;
	*) echo "usage: $0 [--once]" >&2; exit 2 ;;
esac

# Prints $1 if it can be bound on 127.0.0.1 (TCP, and UDP when $2 is "udp"), else a free port.
pick_port() {
	python3 - "$1" "${2:-}" <<'PY'
import socket, sys
def free(port, udp):
    kinds = [socket.SOCK_STREAM] + ([socket.SOCK_DGRAM] if udp else [])
    try:
        for kind in kinds:
            s = socket.socket(socket.AF_INET, kind)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", port))
            port = s.getsockname()[1]
            s.close()
        return port
    except OSError:
        return None
wanted, udp = int(sys.argv[1]), sys.argv[2] == "udp"
port = free(wanted, udp)
while port is None:
    port = free(free(0, False), udp)
print(port)
PY
}

collector_port=$(pick_port "${COLLECTOR_PORT:-8080}")
statsd_port=$(pick_port "${STATSD_PORT:-8125}" udp)
sample_port=$(pick_port "${SAMPLE_PORT:-8081}")
if [[ "$sample_port" == "$collector_port" ]]; then
	sample_port=$(pick_port 0)
fi

if [[ "${SKIP_BUILD:-}" != "1" ]]; then
	echo "Building the collector and the sample ..."
	./mvnw -B -q -DskipTests package -pl samples/heare-stats-collector,samples/heare-stats-sample-webmvc -am
fi
collector_jar=$(ls samples/heare-stats-collector/target/heare-stats-collector-*-exec.jar | head -n 1)
sample_jar=$(ls samples/heare-stats-sample-webmvc/target/heare-stats-sample-webmvc-*.jar | grep -v -e '-sources' -e '\.original$' | head -n 1)

logs=$(mktemp -d "${TMPDIR:-/tmp}/heare-stats-demo.XXXXXX")
collector_pid=""
sample_pid=""
cleanup() {
	trap - EXIT INT TERM
	# The sample first: closing, it delivers its last metrics to the collector.
	for pid in $sample_pid $collector_pid; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
}
trap cleanup EXIT
trap 'echo; echo "Stopping ..."; exit 0' INT TERM

# wait_for NAME PID URL: until URL answers with any HTTP status, or the process dies.
wait_for() {
	local name=$1 pid=$2 url=$3 log=$4
	for _ in $(seq 1 120); do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "$name exited; last lines of $log:" >&2
			tail -n 30 "$log" >&2
			exit 1
		fi
		if [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)" != "000" ]]; then
			return 0
		fi
		sleep 0.5
	done
	echo "$name did not answer on $url within 60 s; see $log" >&2
	exit 1
}

echo "Starting the collector on http://127.0.0.1:$collector_port (StatsD UDP/TCP $statsd_port) ..."
java -jar "$collector_jar" --server.port="$collector_port" --collector.statsd-port="$statsd_port" \
	>"$logs/collector.log" 2>&1 &
collector_pid=$!
wait_for collector "$collector_pid" "http://127.0.0.1:$collector_port/api/metrics" "$logs/collector.log"

echo "Starting the sample on http://127.0.0.1:$sample_port, reporting to the collector over HTTP ..."
java -jar "$sample_jar" --server.port="$sample_port" --heare.stats.dest-port="$collector_port" \
	>"$logs/sample.log" 2>&1 &
sample_pid=$!
wait_for sample "$sample_pid" "http://127.0.0.1:$sample_port/api/orders/0" "$logs/sample.log"
# Start the count from zero: the readiness probe above is a request too (give its metrics
# a moment to arrive first).
sleep 1
curl -s -o /dev/null -u dev-secret: -H 'Content-Type: application/json' -X POST \
	"http://127.0.0.1:$collector_port/api/reset"

echo "Sending 200 requests ..."
base="http://127.0.0.1:$sample_port"
declare -A statuses=()
request() {
	local code
	code=$(curl -s -o /dev/null -w '%{http_code}' "$@" || true)
	statuses[$code]=$(( ${statuses[$code]:-0} + 1 ))
}
products=(coffee tea cake bagel juice)
for i in $(seq 1 40); do
	product=${products[$(( i % ${#products[@]} ))]}
	id=$(curl -s -H 'Content-Type: application/json' -d "{\"product\":\"$product\",\"quantity\":$(( i % 4 + 1 ))}" \
		"$base/api/orders" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
	statuses[201]=$(( ${statuses[201]:-0} + 1 ))
	request "$base/api/orders/$id"
	request "$base/api/orders/$id/invoice"          # billing fails for every third order: 503
	request "$base/api/orders/$(( id + 100000 ))"   # no such order: 404 from the route
	if (( i % 2 == 0 )); then
		request "$base/api/orders/$id"
	else
		request "$base/no/such/page"                  # no route: 404
	fi
done
sent=""
for code in $(printf '%s\n' "${!statuses[@]}" | sort); do
	sent+=" $code: ${statuses[$code]}"
done
echo "Sent 200 requests, answered with${sent}"

# The client sends within milliseconds; the fulfillment job runs every 2 s.
sleep 3

curl -s "http://127.0.0.1:$collector_port/api/metrics" | python3 -c '
import json, sys
m = json.load(sys.stdin)
p = "sample."
def show(kind, name):
    value = m[kind].get(p + name)
    return "-" if value is None else value
print()
print("What the collector received (prefix %s):" % p[:-1])
for name in ["http.server.requests.total", "http.server.requests.success", "http.server.requests.error",
             "http.server.requests.status.200", "http.server.requests.status.201",
             "http.server.requests.status.404", "http.server.requests.status.503",
             "orders.created", "orders.get.success", "orders.invoice.error", "invoices.rendered",
             "db.queries.total", "jobs.started", "jobs.completed"]:
    print("  %-40s %8s" % (name, show("counters", name)))
print("  %-40s %8s" % ("jobs.queue.size (gauge)", show("gauges", "jobs.queue.size")))
print()
print("  %-40s %8s %9s %9s" % ("timer (ms)", "count", "p50", "p95"))
for name in ["http.server.response.time", "http.server.route.GET.api_orders_id.time",
             "http.server.route.POST.api_orders.time", "orders.get", "orders.create",
             "db.query.duration", "jobs.duration"]:
    t = m["timers"].get(p + name)
    if t:
        print("  %-40s %8d %9.2f %9.2f" % (name, t["count"], t["p50"], t["p95"]))
    else:
        print("  %-40s %8s" % (name, "-"))
print()
print("Micrometer meters, through the same client (management.heare.metrics.export.*):")
names = [n for kind in ("counters", "gauges", "timers") for n in m[kind]]
for group in ["jvm.", "tomcat.", "process.", "http.server.requests.error."]:
    print("  %-40s %8d names" % (group + "*", sum(1 for n in names if n.startswith(p + group))))
heap = [v for n, v in m["gauges"].items() if n.startswith(p + "jvm.memory.used.area.heap.")]
print("  %-40s %8s" % ("jvm.threads.live (gauge)", show("gauges", "jvm.threads.live")))
print("  %-40s %8s" % ("jvm.memory.used.area.heap.* (MB)", "%.1f" % (sum(heap) / 1e6) if heap else "-"))
busy = [v for n, v in m["gauges"].items() if n.startswith(p + "tomcat.threads.busy.")]
print("  %-40s %8s" % ("tomcat.threads.busy.* (gauge)", busy[0] if busy else "-"))
totals = m["totals"]
print()
print("Collector totals: %d batches accepted, %d rejected (401), %d malformed" % (
    totals["requestsAccepted"], totals["rejectedUnauthorized"], totals["rejectedMalformed"]))
'
echo
echo "Dashboard: http://127.0.0.1:$collector_port/"
echo "Sample:    $base/api/orders/1"
echo "Health:    $base/actuator/health   (the heareStats check: delivering, last error, drops)"
echo "Logs:      $logs"

if $once; then
	exit 0
fi
echo "Both keep running; press Ctrl-C to stop."
wait "$sample_pid" "$collector_pid"
