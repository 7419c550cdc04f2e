#!/usr/bin/env bash
# Symmetry reduction on the bundled models that hold, in a release build:
# every property explored with and without reduction, each of which must
# hold, completely (a limit or an unexpected verdict fails the script).
# Prints both state counts, their ratio and the times. (The buggy models
# are compared in `swift test`, SymmetryTests, where the search stops at the
# violation; the unreduced spaces of these take minutes.)
# Takes about 8 minutes on 2 cores, most of it the 120 million unreduced
# states of tpt-walk-cache (measured: 7 min 59 s; 388 s for that model).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product tptcheck >/dev/null
tptcheck=.build/release/tptcheck
status=0
printf '%-22s %12s %12s %7s %9s %9s\n' model reduced full ratio "s (on)" "s (off)"
for path in Models/*.tpt; do
    grep -q '^expect holds' "$path" || continue
    name=$(basename "$path" .tpt)
    # A model that fails, or stops at a limit ("incomplete"), is a failure
    # here even when both runs agree: only two complete "holds" compare.
    on=$("$tptcheck" check "$path" --symmetry on --threads 1 | sed -n 2p || true)
    off=$("$tptcheck" check "$path" --symmetry off --threads 1 | sed -n 2p || true)
    for line in "$on" "$off"; do
        if [ "$(echo "$line" | awk '{print $2}')" != holds ] || [[ "$line" != *"as expected" ]]; then
            echo "$name: expected a complete 'holds' with and without reduction, got '$line'" >&2
            status=1
            continue 2
        fi
    done
    states_on=$(echo "$on" | awk '{print $(NF-5)}' | tr -d ,); states_off=$(echo "$off" | awk '{print $(NF-5)}' | tr -d ,)
    seconds_on=$(echo "$on" | awk '{print $(NF-2)}'); seconds_off=$(echo "$off" | awk '{print $(NF-2)}')
    ratio=$(awk -v a="$states_off" -v b="$states_on" 'BEGIN { printf "%.2f", a / b }')
    printf '%-22s %12s %12s %7s %9s %9s\n' "$name" "$states_on" "$states_off" "$ratio" "$seconds_on" "$seconds_off"
done
exit $status
