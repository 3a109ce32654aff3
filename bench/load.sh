#!/usr/bin/env bash
# `make load`: two gunicorn processes (production settings) on two ports of 127.0.0.1, sharing one Redis and one
# PostgreSQL, under 50 concurrent clients (wrk, 25 connections on each port) on a mix of list, filtered list,
# search, case page and case PDF, at 10,000 cases, in two phases of 60 s each:
#   1. undisturbed: the ordinary mix alone;
#   2. hostile: the same mix, plus two more clients (one on each port) asking for booklet PDFs of one real
#      selection (rendered once in the warm-up, as a visitor's first request would) with junk added to every request (unknown conditions, sorts, principles, minimum scores, unknown
#      parameters), the attack issue 20 found: each junk variant used to force a fresh 14 s render.
# Workers are recycled (--max-requests). Reports requests per second, 50th/99th percentile latency, errors (the
# run fails on any in the ordinary mix), the peak memory of the servers, and the list page's throughput in each
# phase: the run fails unless under attack it holds at least half of its undisturbed figure.
#
# Environment (optional): LOAD_CASES (10000), LOAD_SECONDS (60), LOAD_CLIENTS (50), LOAD_WORKERS (2 per process),
# DATABASE_URL (a PostgreSQL database to fill; otherwise a throwaway cluster), LOAD_REDIS_DB (15),
# LOAD_MAX_REQUESTS (5000: a worker is replaced after this many requests, give or take a tenth), LOAD_THREADS
# (threads per worker: 1 for sync workers, more for gthread workers).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
CASES=${LOAD_CASES:-10000}
SECONDS_=${LOAD_SECONDS:-60}
CLIENTS=${LOAD_CLIENTS:-50}
WORKERS=${LOAD_WORKERS:-2}
REDIS_DB=${LOAD_REDIS_DB:-15}
MAX_REQUESTS=${LOAD_MAX_REQUESTS:-5000}
THREADS=${LOAD_THREADS:-1}
work=$(mktemp -d)
pids=()

install_missing() {  # Debian packages, only where missing
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return 0
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages: ${missing[*]} (install them, then run make load again)" >&2; exit 1
  fi
}

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -n "${pg_dir:-}" ]]; then
    as_postgres "$pg_bin/pg_ctl -D $pg_dir/data -m fast -w stop" >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
as_postgres() { if [[ $(id -u) -eq 0 ]]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

echo "==> Tools: wrk, Redis"
command -v wrk >/dev/null || install_missing wrk
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  command -v redis-server >/dev/null || install_missing redis-server
  redis-server --bind 127.0.0.1 --port 6379 --save '' --daemonize no >"$work/redis.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
redis-cli -h 127.0.0.1 -p 6379 -n "$REDIS_DB" flushdb >/dev/null

echo "==> PostgreSQL"
if [[ "${DATABASE_URL:-}" != postgres* ]]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -x "$pg_bin/initdb" ]] || install_missing postgresql
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  pg_dir=$(mktemp -d); pg_port=$(free_port)
  [[ $(id -u) -eq 0 ]] && chown postgres: "$pg_dir"
  as_postgres "$pg_bin/initdb -D $pg_dir/data -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
  as_postgres "$pg_bin/pg_ctl -D $pg_dir/data -o '-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100' -l $pg_dir/log -w start" >/dev/null
  export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
fi

export DJANGO_SETTINGS_MODULE=config.settings.production
export DJANGO_SECRET_KEY=$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_CACHE_URL="redis://127.0.0.1:6379/$REDIS_DB"
export DJANGO_DB_CONN_MAX_AGE=60
export DJANGO_LOG_LEVEL=WARNING

echo "==> Data: the catalogue plus synthetic cases up to $CASES"
$PY manage.py migrate --noinput -v0
$PY manage.py load_catalogue >/dev/null
have=$($PY manage.py shell --no-imports -v 0 -c 'from catalogue.models import CaseStudy; print(CaseStudy.objects.published().count())')
if ((have < CASES)); then $PY manage.py generate_synthetic --count $((CASES - have)) --seed 101 | tail -n 1; fi
$PY manage.py collectstatic --noinput -v0

echo "==> Two gunicorn processes ($WORKERS workers each, recycled after about $MAX_REQUESTS requests)"
ports=()
for n in 1 2; do
  port=$(free_port); ports+=("$port")
  .venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:$port" --workers "$WORKERS" \
    --threads "$THREADS" --max-requests "$MAX_REQUESTS" --max-requests-jitter $((MAX_REQUESTS / 10)) --timeout 60 --access-logfile "$work/access-$n.log" --access-logformat '%(M)s %(U)s' \
    --error-logfile "$work/gunicorn-$n.log" &
  pids+=($!)
done
for port in "${ports[@]}"; do
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { echo "gunicorn on $port did not start" >&2; cat "$work"/gunicorn-*.log >&2; exit 1; }
done

echo "==> The request mix"
$PY manage.py shell --no-imports -v 0 -c '
import random
from urllib.parse import quote
from catalogue.models import CaseStudy, Condition, Region
from principles.models import Principle
rng = random.Random(1)
slugs = list(CaseStudy.objects.published().order_by("pk").values_list("slug", flat=True))
conditions = list(Condition.objects.values_list("slug", flat=True))
regions = list(Region.objects.values_list("slug", flat=True))
principles = list(Principle.objects.values_list("slug", flat=True))
paths = []
paths += ["/case-studies/", "/case-studies/?page=2", "/case-studies/?sort=newest"] * 4
paths += [f"/case-studies/?condition={rng.choice(conditions)}&region={rng.choice(regions)}&setting=health&principle={rng.choice(principles)}" for _ in range(12)]
paths += ["/case-studies/?q=" + quote(q) for q in ["timebank", "peer support", "loneliness", "carers network", "recovery college", "walking groups"] * 2]
paths += [f"/case-studies/{s}/" for s in rng.sample(slugs, 12)]
paths += [f"/case-studies/{s}/summary.pdf" for s in rng.sample(slugs, 4)]
print("\n".join(paths))
' >"$work/paths.txt"
# The attackers' selection: a real filtered list small enough for a booklet (the filters are real, so each
# booklet is a real render), to which each request adds junk.
$PY manage.py shell --no-imports -v 0 -c '
import itertools
from django.http import QueryDict
from catalogue.filters import CaseStudyFilter
from catalogue.models import CaseStudy, Condition, Region
from catalogue.pdf.documents import MAX_BOOKLET_CASES
for condition, region in itertools.product(Condition.objects.values_list("slug", flat=True), Region.objects.values_list("slug", flat=True)):
    query = f"condition={condition}&region={region}"
    count = CaseStudyFilter(QueryDict(query), queryset=CaseStudy.objects.published()).qs.count()
    if MAX_BOOKLET_CASES // 4 <= count <= MAX_BOOKLET_CASES:
        print(f"/case-studies/catalogue.pdf?{query}")
        break
' >"$work/hostile.txt"
[[ -s "$work/hostile.txt" ]] || { echo "no selection of a booklet's size was found for the hostile mix" >&2; exit 1; }
# Requests arrive as from the TLS-terminating load balancer (X-Forwarded-Proto: https), or the production
# settings would answer each with a redirect to https. Anything but a 200 counts as an error: wrk itself only
# counts sockets errors and statuses of 400 and above.
cat >"$work/mix.lua" <<'LUA'
local paths = {}
for line in io.lines(os.getenv("LOAD_PATHS")) do paths[#paths + 1] = line end
local counter = 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_ok = 0 end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter * 7919) % #paths + 1], {["X-Forwarded-Proto"] = "https"})
end
function response(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("not_ok") end
  io.write(string.format("Responses other than 200: %d\n", total))
  io.write(string.format("Bytes read: %d\n", summary.bytes))
end
LUA
echo "   $(wc -l <"$work/paths.txt") paths: lists, filtered lists, searches, case pages, case PDFs"
# The attackers: every request is the selection plus a junk value never sent before (per thread), cycling through
# the kinds the probe used: an unknown condition, an unknown sort, an out-of-range score on an unknown principle,
# an unknown parameter.
cat >"$work/hostile.lua" <<'LUA'
local base = io.lines(os.getenv("LOAD_PATHS"))()
local junk = {"&condition=junk-%d", "&sort=zzz%d", "&min_score=9&principle=nope%d", "&utm_source=x%d"}
local counter = 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
local offset = tonumber(os.getenv("LOAD_JUNK_OFFSET") or "0")
function init(args) not_ok = 0 end
function request()
  counter = counter + 1
  local path = base .. string.format(junk[counter % #junk + 1], offset + counter)
  return wrk.format("GET", path, {["X-Forwarded-Proto"] = "https"})
end
function response(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("not_ok") end
  io.write(string.format("Responses other than 200: %d\n", total))
end
LUA
echo "   the hostile clients: $(cat "$work/hostile.txt") with junk added"

peak_file="$work/peak"; echo 0 >"$peak_file"
(
  while true; do
    total=0
    for pid in "${pids[@]}"; do
      for p in $pid $(pgrep -P "$pid" || true); do
        kb=$(awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0); total=$((total + ${kb:-0}))
      done
    done
    ((total > $(cat "$peak_file"))) && echo "$total" >"$peak_file"
    sleep 0.5
  done
) &
sampler=$!
log_lines() { cat "$work"/access-*.log | wc -l; }
# phase NAME [hostile]: the ordinary mix on both ports for SECONDS_ (with the attackers beside it if asked); the
# access-log lines it added are kept as $work/phase-NAME.log for the list page's throughput.
phase() {
  local name=$1 hostile=${2:-} before
  local -a pids_=()
  echo "==> Load, $name: $CLIENTS clients for ${SECONDS_}s, half on each process${hostile:+, plus 2 hostile clients}"
  before=$(log_lines)
  for n in 0 1; do
    LOAD_PATHS="$work/paths.txt" wrk -t 2 -c $((CLIENTS / 2)) -d "${SECONDS_}s" --timeout 30s --latency \
      -s "$work/mix.lua" "http://127.0.0.1:${ports[$n]}" >"$work/wrk-$name-$n.txt" &
    pids_+=($!)
    if [[ -n $hostile ]]; then
      LOAD_PATHS="$work/hostile.txt" LOAD_JUNK_OFFSET=$(((n + 1) * 1000000000)) wrk -t 1 -c 1 -d "${SECONDS_}s" --timeout 60s \
        -s "$work/hostile.lua" "http://127.0.0.1:${ports[$n]}" >"$work/wrk-$name-hostile-$n.txt" &
      pids_+=($!)
    fi
  done
  wait "${pids_[@]}"
  sleep 1  # the last responses' log lines
  cat "$work"/access-*.log | tail -n +$((before + 1)) >"$work/phase-$name.log" || true
}
# Warm-up, not measured: every worker imports what it needs and the shared cache fills, so that the undisturbed
# figure is the steady state the attack is compared with. The attackers' selection is asked for once, as a visitor
# would: its one render (tens of seconds for up to 100 cases on two cores) is the price of any new booklet, not of
# the attack, which is the junk added to it.
echo "==> Warm-up: the attackers' selection once, then the ordinary mix for 15 s"
curl -fsS -o /dev/null --max-time 600 -H "X-Forwarded-Proto: https" "http://127.0.0.1:${ports[0]}$(cat "$work/hostile.txt")"
for n in 0 1; do
  LOAD_PATHS="$work/paths.txt" wrk -t 2 -c $((CLIENTS / 2)) -d 15s --timeout 30s -s "$work/mix.lua" \
    "http://127.0.0.1:${ports[$n]}" >/dev/null &
  warm[$n]=$!
done
wait "${warm[@]}"
phase undisturbed
phase hostile yes
kill "$sampler" 2>/dev/null || true

results="bench/results/$(date +%F)-$(hostname)-load.txt"
exec > >(tee "$results") 2>&1
echo "==> Results of make load, $(date -u '+%F %H:%M UTC'): $CLIENTS clients, ${SECONDS_}s, $CASES cases, 2 gunicorn processes x $WORKERS workers, $(nproc) CPUs (the load generator shares them)"
errors=0
for name in undisturbed hostile; do
  echo "=== phase: $name"
  rps=0
  for n in 0 1; do
    echo "--- process $((n + 1)) (port ${ports[$n]}), the ordinary mix"
    grep -E "Latency|Req/Sec|requests in|Requests/sec|50%|99%|Non-2xx|Socket errors|other than 200" "$work/wrk-$name-$n.txt"
    e=$(grep -Eo "Responses other than 200: [0-9]+" "$work/wrk-$name-$n.txt" | grep -Eo "[0-9]+$" || echo 1)
    s=$(grep -Eo "Socket errors: .*" "$work/wrk-$name-$n.txt" | grep -Eo "[0-9]+" | paste -sd+ | bc 2>/dev/null || echo 0)
    errors=$((errors + e + ${s:-0}))
    r=$(awk '/Requests\/sec/ {print $2}' "$work/wrk-$name-$n.txt"); rps=$(python3 -c "print(round($rps + $r, 1))")
    if [[ -f "$work/wrk-$name-hostile-$n.txt" ]]; then
      echo "--- process $((n + 1)), the hostile client"
      grep -E "requests in|Requests/sec|other than 200|Socket errors" "$work/wrk-$name-hostile-$n.txt"
    fi
  done
  echo "Ordinary mix: $rps requests/s over both processes"
done
echo "Errors in the ordinary mix: $errors; peak memory of the servers (2 masters + $((2 * WORKERS)) workers): $(( $(cat "$peak_file") / 1024 )) MB"
# Server time as gunicorn saw it (from reading the request to sending the response, in ms), apart from the time a
# request waited for a free worker: under a closed loop of 50 clients on 4 sync workers that wait is most of what
# wrk reports. The list page's throughput is its responses per second of the phase, from the same logs.
LOAD_SECONDS_=$SECONDS_ $PY -c '
import collections, os, sys
seconds = float(os.environ["LOAD_SECONDS_"])
def kind_of(path):
    if path == "/case-studies/catalogue.pdf":
        return "booklet PDF"
    if path.endswith(".pdf"):
        return "case PDF"
    return "case page" if path.count("/") == 3 else "list or search"
def line(name, values):
    values = sorted(values)
    pick = lambda share: values[min(len(values) - 1, round(share * (len(values) - 1)))]
    print(f"  {name}: {len(values)} requests, server time p50 {pick(0.5)} ms, p99 {pick(0.99)} ms, max {values[-1]} ms")
lists = {}
for phase in ("undisturbed", "hostile"):
    times, by_kind = [], collections.defaultdict(list)
    for entry in open(sys.argv[1] + f"/phase-{phase}.log"):
        ms, _, path = entry.strip().partition(" ")
        if ms.isdigit():
            times.append(int(ms)); by_kind[kind_of(path)].append(int(ms))
    print(f"Server time in the {phase} phase (gunicorn, excluding the wait for a free worker):")
    line("all", times)
    for kind, values in sorted(by_kind.items()):
        line(kind, values)
    lists[phase] = len(by_kind["list or search"]) / seconds
ratio = lists["hostile"] / lists["undisturbed"] if lists["undisturbed"] else 0
calm, attacked = lists["undisturbed"], lists["hostile"]
print(f"List page and search: {calm:.1f} responses/s undisturbed, {attacked:.1f} under attack ({ratio:.2f} of undisturbed; at least 0.50 required)")
sys.exit(0 if ratio >= 0.5 else 3)
' "$work" || { echo "FAILED: under the hostile mix the list page fell below half of its undisturbed throughput" >&2; exit 1; }
grep -h "Error\|Traceback" "$work"/gunicorn-*.log | head -5 || true
echo "Written to $results"
((errors == 0)) || { echo "FAILED: $errors errors" >&2; exit 1; }
