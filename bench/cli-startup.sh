#!/usr/bin/env bash
# CLI start-up: runs each command line in turn, RUNS rounds (interleaved, so that load from elsewhere on a shared
# machine falls on all of them alike), on a fresh data directory; prints the median wall and CPU (user+sys) seconds.
#   RUNS=21 bench/cli-startup.sh 'cds=./rotor user list' 'no-cds=env ROTOR_CDS=off ./rotor user list'
# Each argument is LABEL=COMMAND; COMMAND runs under bash in the data directory, with ROOT set to the repository.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-15}"
DATA="$(mktemp -d)"
trap 'rm -rf "$DATA"' EXIT
export ROOT
cd "$DATA"
for spec in "$@"; do bash -c "${spec#*=}" >/dev/null 2>&1 || true; done # first use: builds, the data dir, an archive
TIMEFORMAT='%R %U %S'
for _ in $(seq "$RUNS"); do
  for spec in "$@"; do
    t=$( { time bash -c "${spec#*=}" >/dev/null 2>&1; } 2>&1 )
    echo "${spec%%=*} $t"
  done
done | awk '{ wall[$1] = wall[$1] " " $2; cpu[$1] = cpu[$1] " " ($3 + $4); if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
  END { for (i = 1; i <= k; i++) { j = order[i]; n = split(wall[j], w, " "); asort(w); split(cpu[j], c, " "); asort(c)
        printf "%-10s runs %d  median wall %.2f s  median cpu %.2f s\n", j, n, w[int((n + 1) / 2)], c[int((n + 1) / 2)] } }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs; $(date -u +%FT%TZ)"
