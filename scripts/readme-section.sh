#!/usr/bin/env bash
# Replaces the lines between two marker lines of heare-stats-benchmarks/README.md with a
# file's content; the benchmark scripts call it when run with UPDATE_README=1.
#
#   scripts/readme-section.sh NAME FILE     # between <!-- NAME:results:start --> and <!-- NAME:results:end -->
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1
body=$2
readme=heare-stats-benchmarks/README.md
start="<!-- $name:results:start -->"
end="<!-- $name:results:end -->"
if ! grep -qxF "$start" "$readme" || ! grep -qxF "$end" "$readme"; then
	echo "$readme has no $start / $end lines; not updated" >&2
	exit 1
fi
awk -v start="$start" -v end="$end" -v body="$body" '
	$0 == start { print; while ((getline line < body) > 0) print line; skipping = 1; next }
	$0 == end { skipping = 0 }
	!skipping { print }' "$readme" >"$readme.tmp"
mv "$readme.tmp" "$readme"
echo "== $readme updated" >&2
