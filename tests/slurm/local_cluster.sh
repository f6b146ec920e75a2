# A one-node Slurm cluster on this machine, for the tests of the batch
# script: munged with a key of its own, slurmctld and slurmd as root, every
# file (key, sockets, state, spool, logs, slurm.conf) in one private
# folder, no cgroups, no systemd, ports the system chose as free, the
# loopback address (the host name need not resolve).  Sourced
# by slurm_test.sh, which defines skip() (exit 77 with a reason) and
# fail().
#
#   cluster_can_run                 skips unless root with the daemons
#   cluster_start DIR               starts the cluster in the empty DIR,
#                                   exports SLURM_CONF; skips when a
#                                   daemon does not come up
#   cluster_stop                    stops the jobs and the daemons (for a
#                                   trap)
#   cluster_guard LIB PID           stops the cluster and removes its
#                                   folder when process PID ends, even
#                                   killed (LIB: the path of this file)
#   cluster_wait_idle SECONDS       true when the node is idle within
#                                   SECONDS

cluster_can_run() {
    [ "$(id -u)" -eq 0 ] || skip "the local Slurm cluster needs root"
    PATH=$PATH:/usr/sbin
    export PATH
    for d in munged mungekey slurmctld slurmd sbatch srun sinfo scontrol \
        squeue scancel; do
        command -v "$d" >/dev/null 2>&1 ||
            skip "$d not found (packages munge, slurmctld, slurmd," \
                "slurm-client)"
    done
}

# The last line of a daemon's log, to say why it did not start.
cluster_log_end() {
    tail -n 1 "$CLUSTER_DIR/$1" 2>/dev/null
}

# Two TCP ports nothing listens on, as the kernel hands them out.
cluster_free_ports() {
    "${PYTHON:-python3}" -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
'
}

cluster_start() {
    CLUSTER_DIR=$1
    host=$(hostname -s)
    cpus=$(nproc)
    mkdir -p "$CLUSTER_DIR/munge" "$CLUSTER_DIR/state" "$CLUSTER_DIR/spool"
    chmod 700 "$CLUSTER_DIR" "$CLUSTER_DIR/munge"

    mungekey --create --keyfile="$CLUSTER_DIR/munge/munge.key" \
        >/dev/null 2>&1 || skip "mungekey could not create a key"
    socket=$CLUSTER_DIR/munge/munge.socket
    munged --force --socket="$socket" \
        --key-file="$CLUSTER_DIR/munge/munge.key" \
        --pid-file="$CLUSTER_DIR/munge/munged.pid" \
        --log-file="$CLUSTER_DIR/munge/munged.log" \
        --seed-file="$CLUSTER_DIR/munge/munged.seed" >/dev/null 2>&1 ||
        skip "munged did not start: $(cluster_log_end munge/munged.log)"

    ports=$(cluster_free_ports) || skip "no free TCP ports"
    # shellcheck disable=SC2086 # the two ports, split
    set -- $ports
    : >"$CLUSTER_DIR/plugstack.conf"
    SLURM_CONF=$CLUSTER_DIR/slurm.conf
    export SLURM_CONF
    cat >"$SLURM_CONF" <<EOF
ClusterName=plansimtest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$1
SlurmdPort=$2
AuthType=auth/munge
AuthInfo=socket=$socket,cred_expire=5
CredType=cred/munge
StateSaveLocation=$CLUSTER_DIR/state
SlurmdSpoolDir=$CLUSTER_DIR/spool
SlurmctldPidFile=$CLUSTER_DIR/slurmctld.pid
SlurmdPidFile=$CLUSTER_DIR/slurmd.pid
SlurmctldLogFile=$CLUSTER_DIR/slurmctld.log
SlurmdLogFile=$CLUSTER_DIR/slurmd.log
PlugStackConfig=$CLUSTER_DIR/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
KillWait=10
SchedulerParameters=sched_interval=1,bf_interval=1
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
    slurmctld -i >/dev/null 2>&1 ||
        skip "slurmctld did not start: $(cluster_log_end slurmctld.log)"
    slurmd -N "$host" >/dev/null 2>&1 ||
        skip "slurmd did not start: $(cluster_log_end slurmd.log)"
    cluster_wait_idle 30 || skip "the node did not come up:" \
        "$(sinfo -h -N -o '%T %E' 2>&1 | head -n 1)"
}

cluster_wait_idle() {
    i=0
    while [ "$i" -lt $(($1 * 4)) ]; do
        case $(sinfo -h -N -o %T 2>/dev/null) in
        idle) return 0 ;;
        esac
        sleep 0.25
        i=$((i + 1))
    done
    return 1
}

cluster_stop() {
    [ -n "${CLUSTER_DIR:-}" ] || return 0
    # the jobs first, while slurmd can still end their processes
    if [ -n "$(squeue -h -o %i 2>/dev/null)" ]; then
        scancel --full --signal=KILL --state=RUNNING 2>/dev/null
        scancel 2>/dev/null --state=PENDING
        i=0
        while [ -n "$(squeue -h -o %i 2>/dev/null)" ] && [ "$i" -lt 40 ]; do
            sleep 0.25
            i=$((i + 1))
        done
    fi
    for pidfile in slurmd.pid slurmctld.pid munge/munged.pid; do
        pid=$(cat "$CLUSTER_DIR/$pidfile" 2>/dev/null) || continue
        kill -TERM "$pid" 2>/dev/null || continue
        i=0
        while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 40 ]; do
            sleep 0.25
            i=$((i + 1))
        done
        kill -KILL "$pid" 2>/dev/null || true
    done
}

cluster_guard() {
    setsid sh -c '
        . "$0"
        CLUSTER_DIR=$1
        SLURM_CONF=$1/slurm.conf
        export SLURM_CONF
        while kill -0 "$2" 2>/dev/null; do
            sleep 1
        done
        if [ -d "$1" ]; then
            cluster_stop
            rm -rf "$1"
        fi' "$1" "$CLUSTER_DIR" "$2" </dev/null >/dev/null 2>&1 &
}
