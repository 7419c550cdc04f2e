#!/usr/bin/env bash
# The concrete engine in a release build: accesses per second and peak memory
# of one-pass replays through all five schemes, on 50-million-access synthetic
# traces in the binary format (gups: random updates over 1 GiB, almost every
# access an L2 TLB miss; stream: sequential) and on the real traces in
# ../shared/traces; gups at 10 and 50 million accesses shows that memory does
# not grow with trace length. Takes about a minute on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product tptcheck >/dev/null
tptcheck=.build/release/tptcheck
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
measure() {  # name, accesses, replay arguments...
    local name=$1 accesses=$2; shift 2
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$work/rss" "$tptcheck" replay "$@" >/dev/null
    end=$(date +%s.%N)
    awk -v n="$name" -v a="$accesses" -v s="$start" -v e="$end" -v m="$(cat "$work/rss")" \
        'BEGIN { t = e - s; printf "%-40s %12d accesses %7.2f s %8.1f M accesses/s  peak %6.1f MiB\n", n, a, t, a / t / 1e6, m / 1024 }'
}
for accesses in 10000000 50000000; do
    "$tptcheck" gen gups --accesses $accesses -o "$work/gups$accesses.bin" >/dev/null
    measure "gups, binary, all five schemes" $accesses "$work/gups$accesses.bin"
done
"$tptcheck" gen stream --accesses 50000000 -o "$work/stream.bin" >/dev/null
measure "stream, binary, all five schemes" 50000000 "$work/stream.bin"
measure "gups, binary, native alone" 50000000 --schemes native "$work/gups50000000.bin"
for trace in ../shared/traces/*.lackey.gz; do
    [ -e "$trace" ] || { echo "skipped: no traces in ../shared/traces"; break; }
    records=$(zcat "$trace" | grep -c '^[I ]')
    measure "$(basename "$trace") (records)" "$records" "$trace"
done
