#!/usr/bin/env bash
# Stop the test cluster that scripts/slurm/start.sh started, and nothing else: cancel its jobs, then end slurmd,
# slurmctld and munged by the pids in $SLURM_TEST_DIR/run (each checked to still be that program), waiting for each
# to exit (TERM, then KILL after 15 s). Job steps left behind (slurmstepd with its spool under $SLURM_TEST_DIR) are
# ended too. Safe to run when nothing is running. Keeps the logs unless SLURM_TEST_KEEP=0.
set -uo pipefail

DIR=${SLURM_TEST_DIR:-/tmp/replicate-slurm}
if [ "$(id -u)" != 0 ]; then
    exec sudo SLURM_TEST_DIR="$DIR" SLURM_TEST_KEEP="${SLURM_TEST_KEEP:-1}" bash "$0" "$@"
fi
log() { echo "slurm-stop: $*"; }

[ -d "$DIR/run" ] || { log "nothing to stop ($DIR/run does not exist)"; exit 0; }
export SLURM_CONF="$DIR/etc/slurm.conf"

# alive PID NAME: the process exists, is not a zombie, and is called NAME (a pid file can outlive its process, and pids
# recycle). The name is the process name, not the executable's (Debian's binaries are slurmd-wlm, slurmctld-wlm).
alive() {
    [ -n "$1" ] && [ -r "/proc/$1/comm" ] || return 1
    [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] || return 1
    ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# stop_pid PID NAME
stop_pid() {
    local pid=$1 name=$2
    alive "$pid" "$name" || return 0
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 150); do alive "$pid" "$name" || { log "stopped $name ($pid)"; return 0; }; sleep 0.1; done
    log "$name ($pid) ignored TERM for 15 s; killing it"
    kill -KILL "$pid" 2>/dev/null
    for _ in $(seq 50); do alive "$pid" "$name" || return 0; sleep 0.1; done
    log "error: $name ($pid) is still running"; return 1
}

pidof_file() { [ -s "$DIR/run/$1.pid" ] && cat "$DIR/run/$1.pid"; }

status=0
ctld=$(pidof_file slurmctld)
if alive "$ctld" slurmctld; then
    jobs=$(squeue -h -o %i 2>/dev/null | tr '\n' ' ')
    if [ -n "${jobs// }" ]; then
        log "cancelling jobs $jobs"
        # shellcheck disable=SC2086
        scancel $jobs 2>/dev/null
        for _ in $(seq 60); do [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.5; done
    fi
fi

stop_pid "$(pidof_file slurmd)" slurmd || status=1
stop_pid "$ctld" slurmctld || status=1

# children PID: the pids whose parent is PID.
children() { local s; for s in /proc/[0-9]*/stat; do
    awk -v p="$1" '{ sub(/^.*\) /, ""); if ($2 == p) { split(FILENAME, f, "/"); print f[3] } }' "$s" 2>/dev/null
done; }
# tree PID: PID and all its descendants, parents first.
tree() { local c; echo "$1"; for c in $(children "$1"); do tree "$c"; done; }

# Job steps are separate processes (slurmstepd, with the job script and its children below it) that outlive slurmd;
# ours have their log or spool under $DIR. Normally none is left (the jobs were cancelled above).
for p in /proc/[0-9]*; do
    pid=${p#/proc/}
    alive "$pid" slurmstepd || continue
    ls -l "$p/fd" 2>/dev/null | grep -q -- "$DIR/" || continue
    procs=$(tree "$pid" | tr '\n' ' ')
    log "ending left-over job step $pid and its processes ($procs)"
    # shellcheck disable=SC2086
    kill -TERM $procs 2>/dev/null
    for _ in $(seq 50); do
        left=""; for q in $procs; do [ -d "/proc/$q" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$q/status" 2>/dev/null && left="$left $q"; done
        [ -z "$left" ] && break; sleep 0.1
    done
    # shellcheck disable=SC2086
    [ -z "$left" ] || { log "killing$left"; kill -KILL $left 2>/dev/null; }
done

stop_pid "$(pidof_file munged)" munged || status=1

rm -f "$DIR"/run/*.pid
if [ "${SLURM_TEST_KEEP:-1}" = 0 ]; then rm -rf "$DIR"; else log "logs kept in $DIR/log"; fi
exit $status
