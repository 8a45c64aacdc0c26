#!/usr/bin/env bash
# Start a throw-away single-node Slurm cluster on localhost, for testing `replicate slurm` for real (issue 18 §4).
#
# - installs Debian's slurm-wlm and munge with apt when they are missing;
# - writes a slurm.conf for one node (this machine's CPU count and memory, from `slurmd -C`), cons_tres scheduling,
#   proctrack/linuxproc and no cgroups (works in a container), with every state, spool, log and pid file under
#   $SLURM_TEST_DIR (default /tmp/replicate-slurm) and its own ports and munge socket, so it neither needs nor
#   touches a system Slurm or munge;
# - creates a munge key, starts munged, slurmctld and slurmd (their pid files are in $SLURM_TEST_DIR/run);
# - waits until `sinfo` shows the node idle.
#
# Clients need the configuration: `. "$SLURM_TEST_DIR/env.sh"` (sets SLURM_CONF). Stop with scripts/slurm/stop.sh.
# The daemons run as root (slurmd must, to start jobs as the submitting user); without root this re-runs under sudo.
set -euo pipefail

DIR=${SLURM_TEST_DIR:-/tmp/replicate-slurm}
CTLD_PORT=${SLURM_TEST_CTLD_PORT:-16817}
SLURMD_PORT=${SLURM_TEST_SLURMD_PORT:-16818}
WAIT=${SLURM_TEST_WAIT:-60}

if [ "$(id -u)" != 0 ]; then
    exec sudo SLURM_TEST_DIR="$DIR" SLURM_TEST_CTLD_PORT="$CTLD_PORT" SLURM_TEST_SLURMD_PORT="$SLURMD_PORT" \
        SLURM_TEST_WAIT="$WAIT" bash "$0" "$@"
fi

log() { echo "slurm-start: $*"; }
die() { echo "slurm-start: error: $*" >&2; exit 1; }

# Refuse to start over a running instance of ours.
for p in munged slurmctld slurmd; do
    if [ -s "$DIR/run/$p.pid" ] && kill -0 "$(cat "$DIR/run/$p.pid")" 2>/dev/null; then
        die "$p is already running (pid $(cat "$DIR/run/$p.pid"), $DIR); run scripts/slurm/stop.sh first"
    fi
done

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
        || ! command -v munged >/dev/null; then
    log "installing slurm-wlm and munge"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends slurm-wlm munge
fi

rm -rf "$DIR"
mkdir -p "$DIR"/{etc,run,log,ctld,spool,munge}
chmod 0755 "$DIR" "$DIR/etc"
chmod 0700 "$DIR/munge" "$DIR/ctld" "$DIR/spool"

# --- munge: a fresh key and a private socket -------------------------------------------------------------------
KEY="$DIR/munge/munge.key"
SOCKET="$DIR/munge/munge.socket"
if command -v mungekey >/dev/null; then
    mungekey --create --keyfile="$KEY" --force
else
    dd if=/dev/urandom of="$KEY" bs=1024 count=1 status=none
fi
chmod 0400 "$KEY"
# The socket's directory must be reachable by clients (munge keeps the socket itself world-connectable).
chmod 0711 "$DIR/munge"
munged --key-file="$KEY" --socket="$SOCKET" --pid-file="$DIR/run/munged.pid" \
    --log-file="$DIR/log/munged.log" --seed-file="$DIR/munge/munged.seed"
for _ in $(seq 50); do [ -S "$SOCKET" ] && break; sleep 0.1; done
[ -S "$SOCKET" ] || die "munged did not create its socket; see $DIR/log/munged.log"
munge --socket="$SOCKET" -n | unmunge --socket="$SOCKET" >/dev/null || die "munge round trip failed"

# --- slurm.conf: one node, this machine's real CPUs and memory ------------------------------------------------
NODE=$(hostname -s)
HW=$(slurmd -C | head -1)          # NodeName=… CPUs=… Boards=… SocketsPerBoard=… CoresPerSocket=… ThreadsPerCore=… RealMemory=…
HW=${HW#NodeName=* }               # drop the NodeName field, keep the hardware description
case "$HW" in *CPUs=*RealMemory=*) ;; *) die "unexpected 'slurmd -C' output: $HW" ;; esac
cat > "$DIR/etc/slurm.conf" <<EOF
# Written by scripts/slurm/start.sh: a single-node test cluster on localhost.
ClusterName=replicate-test
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
AuthType=auth/munge
AuthInfo=socket=$SOCKET
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$DIR/ctld
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# A container: no cgroups.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
# No accounting database: finished jobs are recorded in a text file (scripts/slurm/test.sh reads their exit codes).
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/log/jobcomp.txt
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=600
NodeName=$NODE NodeAddr=127.0.0.1 $HW State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
chmod 0644 "$DIR/etc/slurm.conf"
echo "export SLURM_CONF=$DIR/etc/slurm.conf" > "$DIR/env.sh"
export SLURM_CONF="$DIR/etc/slurm.conf"

# --- daemons ---------------------------------------------------------------------------------------------------
slurmctld -c -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF" -N "$NODE"

log "waiting for node $NODE to be idle (at most ${WAIT}s)"
state=""
for _ in $(seq $((WAIT * 2))); do
    state=$(sinfo -h -n "$NODE" -o '%T' 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 0.5
done
if [ "$state" != idle ]; then
    echo "--- slurmctld.log" >&2; tail -20 "$DIR/log/slurmctld.log" >&2 || true
    echo "--- slurmd.log" >&2; tail -20 "$DIR/log/slurmd.log" >&2 || true
    die "node $NODE is '${state:-unreachable}' after ${WAIT}s, not idle (logs in $DIR/log; stop with scripts/slurm/stop.sh)"
fi
sinfo
log "ready: . $DIR/env.sh  (pids: munged $(cat "$DIR/run/munged.pid"), slurmctld $(cat "$DIR/run/slurmctld.pid"), slurmd $(cat "$DIR/run/slurmd.pid"))"
