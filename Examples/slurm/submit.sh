#!/usr/bin/env bash
# Submits a sharded replay: an array of N replay-shards.sbatch tasks, then merge.sbatch once every task has
# succeeded (afterok). Prints both job ids; the summary lands in OUTDIR/summary.json.
#
#   Examples/slurm/submit.sh TRACE OUTDIR [N]        (N: shards, default 8)
#
# TRACE and OUTDIR must be on a file system that every node sees; $CLOUD_RELEASE (default cloud-release on the
# PATH) must run on every node. Other sbatch options come from its environment, e.g. SBATCH_PARTITION,
# SBATCH_ACCOUNT, SBATCH_TIMELIMIT.
set -euo pipefail

if (($# < 2 || $# > 3)); then
    echo "usage: $0 TRACE OUTDIR [N]" >&2
    exit 2
fi
trace=$(realpath "$1")
out=$(realpath -m "$2")
shards=${3:-8}
here=$(dirname "$(realpath "$0")")
[[ -r $trace ]] || { echo "$0: cannot read $trace" >&2; exit 2; }
[[ $shards =~ ^[1-9][0-9]*$ ]] || { echo "$0: N must be a positive number of shards, not '$shards'" >&2; exit 2; }
mkdir -p "$out"

# --parsable prints "JOBID" (or "JOBID;CLUSTER"); keep the id.
array=$(sbatch --parsable --array="0-$((shards - 1))" --output="$out/replay-%A_%a.log" \
    "$here/replay-shards.sbatch" "$trace" "$out")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes --output="$out/merge-%j.log" \
    "$here/merge.sbatch" "$out" "$shards")
merge=${merge%%;*}

echo "replay array: job $array (tasks 0-$((shards - 1)))"
echo "merge: job $merge (after every task of job $array succeeds)"
echo "summary: $out/summary.json"
