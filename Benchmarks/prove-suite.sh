#!/usr/bin/env bash
# The Z3 backend in a release build: the whole proof suite with each
# obligation's time, then bounded model checking of every bundled buggy model
# (every safety property, up to 10 steps, the longest shortest counterexample
# among them) next to the explicit checker's verdict and shortest length.
# Takes about 6 minutes on 2 cores, almost all of it BMC's deeper properties.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product tptcheck >/dev/null
tptcheck=.build/release/tptcheck
echo "== prove Proofs"
/usr/bin/time -f "prove Proofs: %e s, peak %M KiB" "$tptcheck" prove --verbose Proofs
for model in Models/*-bug-*.tpt; do
    echo "== $model"
    "$tptcheck" check "$model" | sed -n 2p
    /usr/bin/time -f "bmc: %e s, peak %M KiB" "$tptcheck" prove --bmc 10 --timeout 900 "$model" | sed -n '2,/^$/p' || true
done
