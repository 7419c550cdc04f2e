#!/usr/bin/env bash
# How much each bundled proof depends on Z3's luck: every obligation's
# deciding query (`prove --emit-smt2`) re-run by the standalone z3 with
# several random seeds, each with a time limit. Prints, per proof, the
# slowest seed's time of its slowest obligation, and every obligation that
# some seed does not settle as unsat within the limit: such an obligation
# passes or times out in CI by chance (nested-write-protect's walk did,
# before its nested_data clause), and wants a clause that states what Z3
# finds only with some seeds.
#   bash Benchmarks/prove-seeds.sh [SEEDS [SECONDS]]   (defaults: 4 seeds, 20 s)
# About 10 minutes on 2 cores for 4 seeds (some 2,400 obligations).
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-4} limit=${2:-20}
command -v z3 >/dev/null || { echo "prove-seeds: needs the z3 binary (apt-get install -y z3); skipped"; exit 0; }
swift build -c release --product tptcheck >/dev/null
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
.build/release/tptcheck prove Proofs --emit-smt2 "$dir" >/dev/null || true
fragile=0
for proof in Proofs/*.proof; do
    name=$(sed -n 's/^proof \(.*\)$/\1/p' "$proof" | head -1)
    worst=0 worstFile=""
    for file in "$dir"/"$name".*.smt2; do
        [ -f "$file" ] || continue
        for ((seed = 0; seed < seeds; seed++)); do
            start=$(date +%s.%N)
            answer=$(z3 -T:"$limit" smt.random_seed=$seed "$file" 2>&1 | head -1)
            took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
            if [ "$answer" != unsat ]; then
                echo "  $(basename "$file") seed $seed: $answer after $took s"
                fragile=$((fragile + 1))
            fi
            if awk -v a="$took" -v b="$worst" 'BEGIN { exit !(a > b) }'; then worst=$took worstFile=$(basename "$file"); fi
        done
    done
    printf '%-28s slowest %6.2f s  %s\n' "$(basename "$proof" .proof)" "$worst" "$worstFile"
done
echo "obligations not settled by some seed within $limit s: $fragile"
