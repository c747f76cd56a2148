#!/usr/bin/env bash
# The runs behind docs/optimizer.md "Evidence": per trace and rate, the optimizer over
# the five-type fleet (reactive, and with the predictive blend's forecast) and the fleet
# oracle, and each single GPU type under kpa, the
# predictive blend and the single-type oracle, all at the default SLO (TTFT ≤ 2 s, TPOT
# ≤ 100 ms) and the default prices. Profiles: the bench profiles (measured by
# `prescale profile --grid` at that SLO on the fleet's grid), so no run re-measures them.
# Then `node scripts/fleet-evidence.mjs OUT` prints the tables.
#
# Usage: scripts/fleet-evidence.sh OUT NAME TRACE [extra simulate flags...]
# e.g.   scripts/fleet-evidence.sh ev conv4 ../shared/data/azure_llm_2023_conv/requests.csv.gz --scale-rps 21.8
set -euo pipefail
out=$1 name=$2 trace=$3
shift 3
mkdir -p "$out"
here=$(cd "$(dirname "$0")/.." && pwd)
profiles=$(ls "$here"/packages/optimizer/bench/profiles/*.json | paste -sd,)
fleet=V100,A10G,L4,A100-80GB,H100
nice -n 10 node "$here/packages/cli/dist/main.js" simulate --trace "$trace" "$@" --fleet "$fleet" --profiles "$profiles" --scalers optimizer,optimizer-predictive,oracle --json "$out/$name.fleet.json" --no-report > "$out/$name.fleet.txt"
for gpu in ${fleet//,/ }; do
  nice -n 10 node "$here/packages/cli/dist/main.js" simulate --trace "$trace" "$@" --gpu "$gpu" --scalers kpa,predictive,oracle --max-replicas auto --json "$out/$name.$gpu.json" --no-report > "$out/$name.$gpu.txt"
done
