#!/usr/bin/env bash
# Load benchmark: refresh-token rotation (the default), or another OAuth scenario (SCENARIO).
#
# Starts a throwaway Rotor server on 127.0.0.1 with a temporary data dir, creates a bench user and
# a public first-party client, then runs dev.rotor.bench.load.RefreshLoad once per concurrency
# level (sessions = concurrency) and prints a summary. With SCENARIO=client_credentials, introspect
# or code_flow it runs dev.rotor.bench.load.OAuthLoad instead, against a confidential client with a
# generated secret (client_credentials grants; introspection of one access token) or a public
# first-party client with a redirect URI (the whole authorization code flow, signing in every time). The server is stopped and the temp dir
# removed on exit, whatever happens.
#
# Knobs (environment):
#   SCENARIO          refresh (default), client_credentials, introspect, code_flow, or the sign-in refusals:
#                     login_flood (wrong passwords from one address: the throttle's 429s), wrong_password and
#                     unknown_user (one attempt per fresh address, so every attempt is hashed)
#   CONCURRENCY       concurrency levels to run          (default "1 16 64")
#   DURATION          measured seconds per level         (default 20)
#   WARMUP            warmup seconds per level           (default 5)
#   PORT              server port on 127.0.0.1           (default 18080)
#   JAVA_HOME         JDK for the build and the driver   (default /usr/lib/jvm/temurin-25-jdk-amd64)
#   ROTOR             server launcher                    (default ./rotor at the repo root)
#   DRIVER_JAVA_OPTS  JVM options of the driver          (default: serial GC, small heap)
#   READY_TIMEOUT     seconds to wait for /health/ready  (default 60)
#   REBUILD=1         build even if the jars look current
#   SESSIONS          sessions signed in per level       (default: the level's concurrency)
#   SIGNIN_PARALLELISM  concurrent sign-ins              (default 2); the driver prints how long they took
#   CLAIMS            profile claims the bench client receives, e.g. "name email" (default none)
#   SLOW_MS           driver prints requests slower than this to stderr (default off)
#   SERVER_LOG        copy the server's log here on exit (default: discarded with the temp dir)
#   ROTOR_JAVA_OPTS   JVM options of the server (read by ./rotor)
#   DB                database of the nodes: empty = SQLite in the temp dir; "pg" = a fresh PostgreSQL database
#                     on 127.0.0.1:5432 (user postgres), dropped on exit; or any ROTOR_DB value
#   NODES             Rotor nodes: 1 (default) or 3; three listen on 18081-18083 behind nginx on 127.0.0.1:18080 with
#                     deploy/nginx/rotor-cluster.conf (PORT is then 18080), and "server ms" is node 1's alone
#
# Exit status: 0 when every level ran without errors, 1 otherwise.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java="$JAVA_HOME/bin/java"
levels=${CONCURRENCY:-1 16 64}
duration=${DURATION:-20}
warmup=${WARMUP:-5}
port=${PORT:-18080}
rotor=${ROTOR:-./rotor}
ready_timeout=${READY_TIMEOUT:-60}
# Serial GC: no parallel GC threads competing with the server for the two cores.
read -r -a driver_opts <<<"${DRIVER_JAVA_OPTS:--XX:+UseSerialGC -Xms64m -Xmx512m}"
driver_cp="bench/target/rotor-bench.jar:bench/target/lib/*"
user=bench
client_id=bench-native
scenario=${SCENARIO:-refresh}
service_id=bench-service
web_id=bench-web
web_redirect=http://127.0.0.1:9/cb

work=""
server_pid=""
driver_pid=""
node_pids=()
nginx_dir=""
pg_db=""
nodes=${NODES:-1}

log() { printf '== %s\n' "$*"; }
die() { printf 'run-load: %s\n' "$*" >&2; exit 1; }

stop_server() {
  if [[ -n $nginx_dir && -f $nginx_dir/nginx.pid ]]; then
    kill "$(cat "$nginx_dir/nginx.pid")" 2>/dev/null || true
  fi
  local pid
  for pid in "${node_pids[@]:1}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  node_pids=()
  [[ -n $server_pid ]] || return 0
  if kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    # Give it time for a graceful shutdown, then force.
    for _ in $(seq 150); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $driver_pid ]]; then
    kill "$driver_pid" 2>/dev/null || true
    wait "$driver_pid" 2>/dev/null || true
  fi
  stop_server
  if [[ $rc -ne 0 && -n $work && -s $work/server.log ]]; then
    echo "--- last lines of the server log ---" >&2
    tail -n 40 "$work/server.log" >&2 || true
  fi
  if [[ -n ${SERVER_LOG:-} && -n $work && -f $work/server.log ]]; then
    cp "$work/server.log" "$SERVER_LOG" || echo "run-load: could not copy the server log to $SERVER_LOG" >&2
  fi
  if [[ -n $work ]]; then
    rm -rf -- "$work"
  fi
  if [[ -n $pg_db ]]; then
    psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

print_machine() {
  log "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), kernel $(uname -r)"
  log "date:    $(date -u '+%Y-%m-%dT%H:%M:%SZ'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  log "jdk:     $("$java" -version 2>&1 | head -n 1) ($JAVA_HOME)"
  log "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo none)$(git diff --quiet HEAD 2>/dev/null || echo ' (work tree differs)')"
  log "run:     scenario $scenario, concurrency levels [$levels], warmup ${warmup}s, duration ${duration}s, port $port"
}

# Builds when a jar is missing or any source/pom changed since this script last built. A stamp
# file is used because Maven leaves an unchanged jar's timestamp alone.
build_if_needed() {
  local stamp=bench/target/.run-load-built
  if [[ ${REBUILD:-0} != 1 && -f $stamp && -f bench/target/rotor-bench.jar && -d bench/target/lib ]] &&
    [[ -z $(find pom.xml rotor-server/pom.xml rotor-server/src bench/pom.xml bench/src -newer "$stamp" -print -quit 2>/dev/null) ]]; then
    log "build:   up to date"
    return
  fi
  log "build:   ./mvnw -q -DskipTests package"
  local started
  started=$(date '+%Y-%m-%d %H:%M:%S.%N')
  ./mvnw -q -DskipTests package
  # Stamp with the start time, so edits made during the build still trigger the next one.
  touch -d "$started" "$stamp"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# HTTP status of a GET, or 000 when there is no answer.
http_status() {
  if command -v curl >/dev/null; then
    curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$port$1" || true
    return
  fi
  local status=""
  if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$1" "$port" >&3
    read -r -t 2 _ status _ <&3 || true
    exec 3<&- 3>&-
  fi 2>/dev/null
  echo "${status:-000}"
}

setup_server() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/rotor-load.XXXXXX")
  mkdir -p "$work/data"
  # Every node gets the same master key from the environment, never from a file beside the data.
  ROTOR_MASTER_KEY=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
  export ROTOR_MASTER_KEY
  if [[ ${DB:-} == pg ]]; then
    pg_db="rotor_bench_$$_$RANDOM"
    psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE DATABASE $pg_db" || die "cannot create database $pg_db"
    export ROTOR_DB="postgresql://postgres@127.0.0.1:5432/$pg_db"
  elif [[ -n ${DB:-} ]]; then
    export ROTOR_DB="$DB"
  fi
  # Never the password of a URL: user:password@ becomes user:***@.
  log "database: $(if [[ -n ${ROTOR_DB:-} ]]; then sed -E 's#(://[^:/@]*):[^@/]*@#\1:***@#; s#([?&]password=)[^&]*#\1***#' <<<"$ROTOR_DB"; else echo "SQLite in $work/data"; fi)"
  (umask 077 && od -An -tx1 -N18 /dev/urandom | tr -d ' \n' >"$work/password")

  log "setup:   user '$user' and client '$client_id' in $work/data"
  # No trailing newline: correct whether the CLI reads a line or all of stdin.
  ROTOR_DATA_DIR="$work/data" "$rotor" user add "$user" --email "$user@example.test" --name "Bench User" \
    --password-stdin <"$work/password" |& sed 's/^/   | /'
  local claims=()
  for c in ${CLAIMS:-}; do claims+=(--claim "$c"); done
  ROTOR_DATA_DIR="$work/data" "$rotor" client add "$client_id" --type public \
    --grant password --grant refresh_token --first-party "${claims[@]}" |& sed 's/^/   | /'
  case $scenario in
    refresh) ;;
    client_credentials | introspect)
      # A generated 256-bit secret: the server keeps its SHA-256, so checking it costs one digest.
      (umask 077 && head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$work/secret")
      log "setup:   confidential client '$service_id'"
      ROTOR_DATA_DIR="$work/data" "$rotor" client add "$service_id" --type confidential --grant client_credentials \
        --scope "orders:read" --secret-stdin <"$work/secret" |& grep -v -F -f "$work/secret" | sed 's/^/   | /' ;;
    code_flow)
      log "setup:   public first-party client '$web_id' redirecting to $web_redirect"
      ROTOR_DATA_DIR="$work/data" "$rotor" client add "$web_id" --type public --grant authorization_code \
        --redirect-uri "$web_redirect" --first-party |& sed 's/^/   | /' ;;
    login_flood | wrong_password | unknown_user) ;;
    *) die "unknown SCENARIO $scenario (refresh, client_credentials, introspect, code_flow, login_flood, wrong_password, unknown_user)" ;;
  esac
}

start_server() {
  if ((nodes > 1)); then
    start_cluster
    return
  fi
  # The sign-in scenarios send X-Forwarded-For from the driver on loopback; wrong_password tries one account from
  # ever new addresses, so its account limit is lifted (the flood keeps the defaults: it measures the throttle).
  local extra=()
  case $scenario in
    wrong_password | unknown_user) extra=(ROTOR_TRUSTED_PROXIES=127.0.0.1/32 ROTOR_THROTTLE_ACCOUNT_FAILURES=100000) ;;
  esac
  # The launcher exec's the JVM, so $! is the server process itself.
  env "${extra[@]}" ROTOR_DATA_DIR="$work/data" ROTOR_PORT="$port" "$rotor" serve >"$work/server.log" 2>&1 &
  server_pid=$!
  node_pids=("$server_pid")
  wait_ready "$port" "$server_pid"
  report_server
}

wait_ready() { # port pid
  local deadline=$((SECONDS + ready_timeout)) saved=$port
  port=$1
  until [[ $(http_status /health/ready) == 200 ]]; do
    kill -0 "$2" 2>/dev/null || die "server on port $1 exited during start-up"
    ((SECONDS < deadline)) || die "server on port $1 not ready after ${ready_timeout}s"
    sleep 0.2
  done
  port=$saved
}

# NODES nodes on 18081.. sharing the database, behind nginx on 18080 with the repository's config.
start_cluster() {
  ((port == 18080)) || die "NODES > 1 needs PORT=18080 (deploy/nginx/rotor-cluster.conf listens there)"
  ((nodes == 3)) || die "NODES must be 1 or 3: deploy/nginx/rotor-cluster.conf sends to three nodes (18081-18083)"
  command -v nginx >/dev/null || die "NODES > 1 needs nginx (apt-get install nginx-light)"
  local i node_port pid
  for ((i = 1; i <= nodes; i++)); do
    node_port=$((18080 + i))
    ROTOR_DATA_DIR="$work/data" ROTOR_PORT="$node_port" ROTOR_TRUSTED_PROXIES=127.0.0.1/32 "$rotor" serve \
      >"$work/server-$i.log" 2>&1 &
    pid=$!
    node_pids+=("$pid")
    wait_ready "$node_port" "$pid"
    log "node $i:  pid $pid ready on 127.0.0.1:$node_port"
  done
  server_pid=${node_pids[0]}
  ln -sf "$work/server-1.log" "$work/server.log"
  nginx_dir="$work/nginx"
  mkdir -p "$nginx_dir"
  nginx -p "$nginx_dir" -c "$repo/deploy/nginx/rotor-cluster.conf" -e stderr || die "nginx did not start"
  wait_ready "$port" "$server_pid"
  log "nginx:   ready on 127.0.0.1:$port in front of $nodes nodes"
}

report_server() {
  local exe
  exe=$(readlink "/proc/$server_pid/exe" 2>/dev/null || echo unknown)
  [[ $exe == */java ]] || echo "run-load: warning: pid $server_pid runs $exe, not java: server CPU may be wrong" >&2
  log "server:  pid $server_pid ready on 127.0.0.1:$port ($exe)"
}

# Runs the driver at concurrency $1; appends its RESULT line to $work/results.
run_level() {
  local c=$1 rc=0
  echo
  log "concurrency $c"
  # In the background with wait: a signal to this script then interrupts the wait at once (bash
  # defers traps while a foreground command runs) and cleanup stops the driver.
  local args
  case $scenario in
    refresh)
      args=(dev.rotor.bench.load.RefreshLoad --client-id "$client_id" --username "$user" --password-file "$work/password"
        --sessions "${SESSIONS:-$c}" --signin-parallelism "${SIGNIN_PARALLELISM:-2}" ${SLOW_MS:+--slow-ms "$SLOW_MS"}) ;;
    login_flood | wrong_password | unknown_user)
      args=(dev.rotor.bench.load.OAuthLoad --scenario "$scenario" --client-id "$client_id" --username "$user") ;;
    code_flow)
      args=(dev.rotor.bench.load.OAuthLoad --scenario code_flow --client-id "$web_id" --redirect-uri "$web_redirect"
        --username "$user" --password-file "$work/password") ;;
    *)
      args=(dev.rotor.bench.load.OAuthLoad --scenario "$scenario" --client-id "$service_id" --client-secret-file "$work/secret") ;;
  esac
  "$java" "${driver_opts[@]}" -cp "$driver_cp" "${args[@]}" --url "http://127.0.0.1:$port" \
    --concurrency "$c" --warmup "$warmup" --duration "$duration" --server-pid "$server_pid" >"$work/driver-$c.out" &
  driver_pid=$!
  wait "$driver_pid" || rc=$?
  driver_pid=""
  cat "$work/driver-$c.out"
  grep '^RESULT ' "$work/driver-$c.out" >>"$work/results" ||
    echo "RESULT concurrency=$c driver_exit=$rc" >>"$work/results"
  kill -0 "$server_pid" 2>/dev/null || die "the server died during concurrency $c"
  return "$rc"
}

print_summary() {
  echo
  log "summary (CPU ms per request over the measured window; 'other' = cores used by anything else)"
  awk '{
      delete v
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      other = (v["window_s"] > 0 && v["other_cpu_s"] != "NA") ? sprintf("%.2f", v["other_cpu_s"] / v["window_s"]) : "NA"
      if (NR == 1) printf "%6s %10s %9s %9s %9s %9s %10s %10s %6s  %s\n", "conc", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "server ms", "driver ms", "other", "errors"
      printf "%6s %10s %9s %9s %9s %9s %10s %10s %6s  %s\n", v["concurrency"], v["throughput_rps"], v["p50_ms"], v["p90_ms"],
        v["p99_ms"], v["max_ms"], v["server_cpu_ms_per_req"], v["driver_cpu_ms_per_req"], other,
        ("errors" in v) ? v["errors_by"] : "driver exit " v["driver_exit"]
    }' "$work/results"
  echo
  cat "$work/results"
}

main() {
  [[ -x $java ]] || die "no java at $java (set JAVA_HOME)"
  print_machine
  build_if_needed
  [[ -x $rotor ]] || die "server launcher $rotor not found or not executable (set ROTOR)"
  port_in_use "$port" && die "port $port on 127.0.0.1 is already in use (set PORT)"
  setup_server
  start_server
  local failures=0 c
  for c in $levels; do
    run_level "$c" || failures=$((failures + 1))
  done
  print_summary
  stop_server
  if ((failures > 0)); then
    die "$failures concurrency level(s) reported errors"
  fi
}

main "$@"
