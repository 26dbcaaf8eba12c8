#!/usr/bin/env bash
# Regenerates docs/dashboard.png, the README's picture of the collector's dashboard: runs
# the demo (./demo.sh), sends the sample a minute of uneven traffic so that the charts
# have a shape, and takes a screenshot with headless Chromium.
#
#   scripts/dashboard-screenshot.sh
#
# Environment: SKIP_BUILD=1 reuses the last build; TRAFFIC_SECONDS [60]; OUT [docs/dashboard.png];
# FILTER, a name filter for the page [none]. Needs /usr/bin/chromium (apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

out=${OUT:-docs/dashboard.png}
seconds=${TRAFFIC_SECONDS:-60}
command -v chromium >/dev/null || { echo "chromium is needed (apt-get install chromium)" >&2; exit 1; }

if [[ "${SKIP_BUILD:-}" != "1" ]]; then
	echo "Building (./mvnw -B -q -DskipTests package) ..."
	./mvnw -B -q -DskipTests package
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/heare-stats-screenshot.XXXXXX")
SKIP_BUILD=1 ./demo.sh >"$work/demo.log" 2>&1 &
demo_pid=$!
stop_demo() {
	kill -TERM "$demo_pid" 2>/dev/null || true
	wait "$demo_pid" 2>/dev/null || true
}
trap stop_demo EXIT

for _ in $(seq 1 240); do
	grep -q '^Dashboard:' "$work/demo.log" && break
	kill -0 "$demo_pid" 2>/dev/null || { cat "$work/demo.log" >&2; exit 1; }
	sleep 0.5
done
grep -q '^Dashboard:' "$work/demo.log" || { cat "$work/demo.log" >&2; exit 1; }
dashboard=$(sed -n 's/^Dashboard: *//p' "$work/demo.log")
sample=$(sed -n 's|^Sample: *\(http://[^/]*\).*|\1|p' "$work/demo.log")
echo "Demo running: dashboard $dashboard, sample $sample"

# Uneven traffic: the request rate rises and falls, some orders fail to invoice (503) and
# some are looked up that do not exist (404).
traffic() {
	python3 - "$sample" "$1" <<'PY'
import json, math, sys, time, urllib.error, urllib.request
base, seconds = sys.argv[1], int(sys.argv[2])
def call(url, body=None):
    request = urllib.request.Request(base + url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.read()
    except urllib.error.HTTPError:
        return b""
    except OSError:
        sys.exit(0)  # the demo stopped
start = time.time()
while time.time() - start < seconds:
    t = time.time() - start
    per_second = int(12 + 9 * math.sin(t / 9))
    tick = time.time()
    for i in range(per_second):
        created = json.loads(call("/api/orders", json.dumps({"product": "tea", "quantity": 1 + i % 3}).encode()) or b"{}")
        order = created.get("id", 1)
        call("/api/orders/%d" % order)
        if i % 3 == 0:
            call("/api/orders/%d/invoice" % order)
        if i % 5 == 0:
            call("/api/orders/%d" % (order + 100000))
    time.sleep(max(0, 1 - (time.time() - tick)))
PY
}

# A warm-up first, then a clean start, so that the first requests' JIT time does not set
# the response-time scale.
echo "Warming up, then sending $seconds s of traffic ..."
traffic 10
curl -s -o /dev/null -u dev-secret: -H 'Content-Type: application/json' -X POST "${dashboard%/}/api/reset"
traffic $(( seconds + 30 )) &
traffic_pid=$!
trap 'kill "$traffic_pid" 2>/dev/null || true; stop_demo' EXIT
sleep "$seconds"

page="$dashboard"
if [[ -n "${FILTER:-}" ]]; then
	page="$dashboard?filter=$FILTER"
fi
mkdir -p "$(dirname "$out")"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-sync \
	--disable-background-networking --disable-component-update --user-data-dir="$work/profile" \
	--window-size=1400,1080 --virtual-time-budget=4000 --screenshot="$work/dashboard.png" "$page" \
	>"$work/chromium.log" 2>&1
mv "$work/dashboard.png" "$out"
echo "Wrote $out ($(wc -c <"$out") bytes)"
