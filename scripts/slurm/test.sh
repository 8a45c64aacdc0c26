#!/usr/bin/env bash
# Test the Slurm path for real on a throw-away single-node cluster (issue 18 §4): starts it (start.sh), runs the
# checks, and stops it on exit (stop.sh, from a trap, also on failure or interrupt).
#
#   scripts/slurm/test.sh --trivial   prove the cluster: a 2-task array (`sbatch --array=0-1 --wrap hostname`) and a
#                                     job that depends on it (afterok) must all complete, in order.
#   scripts/slurm/test.sh [REPORT…]   the trivial check, then the real one (default report 00-items): render the
#                                     report locally in one copy of the project tree; in another, `replicate slurm
#                                     --shards 2` against a shared cache dir (a 2-task `replicate work` array and a
#                                     dependent render job); wait for both; require each shard to have computed its
#                                     part, then compare the two renders byte for byte: the pages (compute times
#                                     masked), the values (as `replicate accept` stores them) and every figure file.
#
# Needs the release build (.build/release/replicate, or $REPLICATE). SLURM_TEST_SHARDS (2), SLURM_TEST_TIMEOUT (900 s
# per wait), SLURM_TEST_DIR (/tmp/replicate-slurm) override the defaults. SLURM_TEST_SELFTEST=1 checks the checker:
# the Slurm render tampers with one page, and the test passes only if the comparison names exactly that page.
#
# Prints PASS or FAIL on its last line; exits non-zero on FAIL.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

MODE=full
case "${1:-}" in
    --trivial) MODE=trivial; shift ;;
    -*) echo "usage: $0 [--trivial] [REPORT…]" >&2; exit 2 ;;
esac
REPORTS=${*:-00-items}
SHARDS=${SLURM_TEST_SHARDS:-2}
REPLICATE=${REPLICATE:-$ROOT/.build/release/replicate}
# The cache key holds the OpenBLAS kernel: the local render and the Slurm jobs (which inherit this environment) agree.
if [ -z "${OPENBLAS_CORETYPE+set}" ]; then
    OPENBLAS_CORETYPE=$(sh "$ROOT/bench/blas-coretype.sh"); [ -n "$OPENBLAS_CORETYPE" ] && export OPENBLAS_CORETYPE
fi
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
export SLURM_TEST_DIR=${SLURM_TEST_DIR:-/tmp/replicate-slurm}
TIMEOUT=${SLURM_TEST_TIMEOUT:-900}        # seconds to wait for each group of jobs

say() { echo "slurm-test: $*"; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/replicate-slurm-test.XXXXXX")
chmod 0755 "$WORK"
finish() {
    rc=$?
    bash "$ROOT/scripts/slurm/stop.sh" || rc=1
    rm -rf "$WORK"
    if [ $rc = 0 ]; then echo "PASS"; else echo "FAIL"; fi
    exit $rc
}
trap finish EXIT
trap 'exit 130' INT TERM

bash "$ROOT/scripts/slurm/start.sh"
# shellcheck source=/dev/null
. "$SLURM_TEST_DIR/env.sh"

# wait_jobs SECONDS JOBID…: wait until none of the jobs (array jobs with all their tasks) is pending or running, then
# require every one of them (every array task) to have completed with exit code 0. Prints their states.
wait_jobs() {
    local limit=$1; shift
    local t0=$SECONDS left
    while :; do
        left=$(squeue -h -j "$(IFS=,; echo "$*")" -o '%i %T' 2>/dev/null || true)
        [ -z "$left" ] && break
        if [ $((SECONDS - t0)) -ge "$limit" ]; then
            say "timeout after ${limit}s; still queued or running:"; echo "$left"
            return 1
        fi
        sleep 1
    done
    local ok=0 j line
    for j in "$@"; do
        while read -r line; do
            [ -n "$line" ] || continue
            local id state code
            id=$(sed -n 's/.*\bJobId=\([0-9]*\).*/\1/p' <<<"$line")
            state=$(sed -n 's/.*\bJobState=\([A-Z_]*\).*/\1/p' <<<"$line")
            code=$(sed -n 's/.* ExitCode=\([0-9:]*\).*/\1/p' <<<"$line")
            task=$(sed -n 's/.*\bArrayTaskId=\([0-9]*\).*/\1/p' <<<"$line")
            say "job $id${task:+ (array $j, task $task)}: $state, exit $code"
            [ "$state" = COMPLETED ] && [ "$code" = 0:0 ] || ok=1
        done < <(scontrol -o show job "$j")
    done
    say "waited $((SECONDS - t0))s"
    return $ok
}

trivial() {
    say "trivial array: sbatch --array=0-1 --wrap hostname, then a dependent job"
    local a b
    a=$(sbatch --parsable --array=0-1 --job-name=trivial --chdir="$WORK" --output="$WORK/array-%a.out" \
        --wrap 'hostname; echo "task $SLURM_ARRAY_TASK_ID of job $SLURM_ARRAY_JOB_ID"')
    b=$(sbatch --parsable --dependency=afterok:"$a" --job-name=trivial-after --chdir="$WORK" --output="$WORK/after.out" \
        --wrap 'cat array-0.out array-1.out')
    wait_jobs "$TIMEOUT" "$a" "$b"
    local host; host=$(hostname)
    printf '%s\ntask 0 of job %s\n%s\ntask 1 of job %s\n' "$host" "$a" "$host" "$a" > "$WORK/expected"
    if ! cmp -s "$WORK/expected" "$WORK/after.out"; then
        say "the dependent job did not see both tasks' output:"; diff "$WORK/expected" "$WORK/after.out" || true
        return 1
    fi
    say "array tasks 0 and 1 ran on $host, the dependent job after both"
}

# copy_tree DIR: the project's files as in the work tree (tracked files only: no .build, .cache, site or figures).
copy_tree() {
    mkdir -p "$1"
    git -C "$ROOT" ls-files -z | tar -C "$ROOT" --null -T - -cf - | tar -C "$1" -xf -
}

# mask FILE: a page with its measured compute times (footer and index cells `<td>0.12 s</td>`) blanked, the only
# part of a page that differs between two renders of the same results.
mask() { sed -E 's#<td>[0-9]+(\.[0-9]+)? s</td>#<td>T s</td>#g' "$1"; }

sharded() {
    [ -x "$REPLICATE" ] || { say "no $REPLICATE: build it first (swift build -c release, or make build)"; return 1; }
    "$REPLICATE" slurm --help >/dev/null 2>&1 || { say "$REPLICATE has no 'slurm' command"; return 1; }
    local L="$WORK/local" S="$WORK/slurm"
    copy_tree "$L"; copy_tree "$S"

    say "local reference: replicate render $REPORTS (cache $WORK/cache-local)"
    "$REPLICATE" render --root "$L" --cache "$WORK/cache-local" $REPORTS

    # Self-test of the comparison (SLURM_TEST_SELFTEST=1): the jobs run a wrapper whose render appends a comment to
    # the first report's page; the comparison must then name that page, and only it.
    local exe=()
    if [ "${SLURM_TEST_SELFTEST:-0}" = 1 ]; then
        local first=${REPORTS%% *}
        printf '#!/bin/sh\n"%s" "$@" || exit $?\n[ "$1" = render ] && echo "<!-- tampered -->" >> "%s"\nexit 0\n' \
            "$(readlink -f "$REPLICATE")" "$S/site/$first.html" > "$WORK/tamper.sh"
        chmod 0755 "$WORK/tamper.sh"
        exe=(--executable "$WORK/tamper.sh")
        say "self-test: the render job will tamper with site/$first.html"
    fi

    say "sharded: replicate slurm --shards $SHARDS $REPORTS (shared cache $WORK/cache-shared)"
    "$REPLICATE" slurm --shards "$SHARDS" --root "$S" --cache "$WORK/cache-shared" "${exe[@]}" $REPORTS \
        | tee "$WORK/submit.out"
    local array render
    array=$(sed -n 's/^submitted work array \([0-9]*\).*/\1/p' "$WORK/submit.out")
    render=$(sed -n 's/^submitted render \([0-9]*\) after.*/\1/p' "$WORK/submit.out")
    [ -n "$array" ] && [ -n "$render" ] || { say "could not read the job ids from replicate slurm's output"; return 1; }
    local jobs_ok=0
    wait_jobs "$TIMEOUT" "$array" "$render" || jobs_ok=1
    local f
    for f in "$S"/.slurm/*.out; do
        [ -e "$f" ] || continue
        echo "--- ${f#"$S"/}"; cat "$f"
    done
    [ $jobs_ok = 0 ] || { say "a Slurm job did not complete"; return 1; }

    # Every shard did its part of the work, and the render job recomputed nothing: a shard that computed nothing, or
    # a render that computed items or directives, would mean the work did not go through the array.
    # Shard summary: `shard i/n: D directive(s): C computed, K cached, L left …, F failed; W work item(s) computed; …`.
    local i bad=0 line computed items
    for i in $(seq 0 $((SHARDS - 1))); do
        line=$(grep -h "^shard $i/$SHARDS:" "$S/.slurm/work-${array}_$i.out" 2>/dev/null | tail -1)
        if [ -z "$line" ]; then say "no summary line from shard $i/$SHARDS"; bad=1; continue; fi
        computed=$(sed -n 's/.*: \([0-9]*\) computed,.*/\1/p' <<<"$line")
        items=$(sed -n 's/.*; \([0-9]*\) work item(s) computed.*/\1/p' <<<"$line")
        say "shard $i/$SHARDS: ${computed:-?} directive(s) and ${items:-0} work item(s) computed"
        [ "${computed:-0}" -gt 0 ] || [ "${items:-0}" -gt 0 ] || { say "shard $i/$SHARDS computed nothing: $line"; bad=1; }
        case "$line" in *" 0 failed"*) ;; *) say "shard $i/$SHARDS failed: $line"; bad=1 ;; esac
    done
    # Render progress lines end in `... cached`, `... 0.0 s (0 work item(s) computed)` (a reduce of stored items), or,
    # when it computed, `... 1.2 s` or `(N work item(s) computed)` with N > 0.
    local recomputed
    recomputed=$(grep -E '^\[[0-9]+/[0-9]+\] .* \.\.\. [0-9.]+ s' "$S/.slurm/render-$render.out" \
        | grep -v '(0 work item(s) computed)' || true)
    if [ -n "$recomputed" ]; then say "the render job computed what the shards should have:"; echo "$recomputed"; bad=1
    else say "the render job computed nothing (it reduced the shards' items)"; fi

    # The values at full precision: `replicate accept` (from each cache) writes them to reports/REPORT.values.json;
    # both copies start from the same file, so equal values give equal bytes.
    local r
    for r in $REPORTS; do
        "$REPLICATE" accept --root "$L" --cache "$WORK/cache-local" "$r" >/dev/null
        "$REPLICATE" accept --root "$S" --cache "$WORK/cache-shared" "$r" >/dev/null
    done

    say "comparing the sharded render with the local one"
    local differ="" n=0 a b
    for r in $REPORTS; do
        for a in "$L/site/$r.html" "$L/site/index.html"; do
            b="$S/${a#"$L"/}"; n=$((n + 1))
            if [ ! -f "$b" ]; then differ="$differ ${b#"$S"/}(missing)"; continue; fi
            cmp -s <(mask "$a") <(mask "$b") || differ="$differ ${a#"$L"/}"
        done
        a="$L/reports/$r.values.json"; b="$S/reports/$r.values.json"; n=$((n + 1))
        cmp -s "$a" "$b" || differ="$differ reports/$r.values.json"
        for a in "$L/figures/$r"/*; do
            [ -e "$a" ] || continue
            b="$S/${a#"$L"/}"; n=$((n + 1))
            cmp -s "$a" "$b" || differ="$differ ${a#"$L"/}"
        done
        for b in "$S/figures/$r"/*; do
            [ -e "$b" ] && [ ! -e "$L/${b#"$S"/}" ] && differ="$differ ${b#"$S"/}(extra)"
        done
    done
    if [ "${SLURM_TEST_SELFTEST:-0}" = 1 ]; then
        if [ "$differ" = " site/${REPORTS%% *}.html" ]; then say "self-test: the comparison caught the tampered page:$differ"; return 0; fi
        say "self-test: expected only site/${REPORTS%% *}.html to differ, got:${differ:- nothing}"; return 1
    fi
    if [ -n "$differ" ]; then
        say "differing files:$differ"
        for f in $differ; do
            case "$f" in *\(*) continue ;; esac
            echo "--- diff $f (first lines)"
            if [[ $f == *.html ]]; then diff <(mask "$L/$f") <(mask "$S/$f") | head -20
            else diff "$L/$f" "$S/$f" | head -20; fi
        done
        return 1
    fi
    [ $bad = 0 ] || return 1
    say "$n files identical (pages with compute times masked, figure data and scripts, SVGs, values) for $REPORTS"
}

trivial
[ "$MODE" = trivial ] && exit 0
sharded
