"""mp_side.py -- the Python half of multiproc4j's side-by-side benchmarks.

One invocation runs one trial set of one named workload with Python's own
multiprocessing and prints one JSON object on stdout; the Java runner
(org.multiproc4j.benchmarks.sidebyside.Main) calls it again and again,
alternating with multiproc4j's trial sets, so that drift of a shared machine
falls on both sides alike.

    python3 mp_side.py --meta                      interpreter and machine facts
    python3 mp_side.py --list                      workload names
    python3 mp_side.py process_start --trials 5 --warmup 1

Standard library only. Each workload measures Python's best form of the
operation (not a handicapped one). Timestamps come from time.perf_counter_ns(),
which on Linux is clock_gettime(CLOCK_MONOTONIC): one clock for the whole
machine, the same one Java's System.nanoTime() reads, so a child's stamp can
be compared with the parent's.

This module is re-imported by every 'spawn' child (as __mp_main__), so its
top level imports only what the children need; a heavier main module would
slow Python's children down for no reason of Python's own.
"""
import multiprocessing as mp
import os
import sys
import time

now = time.perf_counter_ns  # CLOCK_MONOTONIC on Linux


# ------------------------------------------------------------------ child bodies
# Module level, so 'spawn' children can import them by name.

def first_line(conn):
    t = now()  # the child's first line
    conn.send_bytes(t.to_bytes(8, "little"))
    conn.close()


def noop():
    pass


# ------------------------------------------------------------------ recording
class TrialSet:
    """Metric values of one trial set, plus checks that must hold."""

    def __init__(self):
        self.metrics = {}
        self.checks = {}
        self.params = {}
        self.notes = []
        self.recording = True

    def add(self, name, value, unit, better="lower"):
        m = self.metrics.setdefault(name, {"unit": unit, "better": better, "values": []})
        if self.recording:
            m["values"].append(value)

    def check(self, name, ok, detail=None):
        prev = self.checks.get(name)
        ok = bool(ok) and (prev is None or prev["ok"])
        self.checks[name] = {"ok": ok, "detail": detail}

    def repeat(self, warmup, trials, fn):
        for i in range(warmup + trials):
            self.recording = i >= warmup
            fn()
        self.recording = True


def ms(t0, t1):
    return (t1 - t0) / 1e6


# ------------------------------------------------------------------ workloads
def wl_process_start(ts, warmup, trials, params):
    """A child process: start -> its first line, and start -> join of a no-op.

    spawn is the start method to compare with a JVM: like a child JVM, it
    starts a fresh interpreter that imports what the task needs. fork is
    measured for context only (a JVM cannot fork).
    """
    methods = ["spawn"] + (["fork"] if params.get("fork", "1") == "1" else [])
    ts.params.update(start_methods=methods, task="first line: send a CLOCK_MONOTONIC stamp "
                     "through a Pipe; no-op: return at once")
    for method in methods:
        ctx = mp.get_context(method)

        def first_line_trial():
            r, w = ctx.Pipe(duplex=False)
            p = ctx.Process(target=first_line, args=(w,))
            t0 = now()
            p.start()
            t1 = now()
            w.close()
            tc = int.from_bytes(r.recv_bytes(), "little")
            t2 = now()
            p.join()
            r.close()
            ts.check(f"{method}_first_line_exitcode_0", p.exitcode == 0, p.exitcode)
            p.close()
            ts.add(f"{method}_start_call_ms", ms(t0, t1), "ms")
            ts.add(f"{method}_first_line_ms", ms(t0, tc), "ms")
            ts.add(f"{method}_first_line_seen_by_parent_ms", ms(t0, t2), "ms")

        def start_join_trial():
            p = ctx.Process(target=noop)
            t0 = now()
            p.start()
            p.join()
            t1 = now()
            ts.check(f"{method}_noop_exitcode_0", p.exitcode == 0, p.exitcode)
            p.close()
            ts.add(f"{method}_start_to_join_noop_ms", ms(t0, t1), "ms")

        ts.repeat(warmup, trials, first_line_trial)
        ts.repeat(warmup, trials, start_join_trial)

    import subprocess

    def bare_interpreter_trial():
        t0 = now()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        t1 = now()
        ts.add("bare_interpreter_run_ms", ms(t0, t1), "ms")

    ts.repeat(warmup, trials, bare_interpreter_trial)
    ts.notes.append("bare_interpreter_run_ms: subprocess.run([python, '-c', 'pass']), "
                    "the floor under any spawn-style start")


WORKLOADS = {
    "process_start": wl_process_start,
}


# ------------------------------------------------------------------ main
def meta():
    import platform
    m = {
        "executable": sys.executable,
        "version": platform.python_version(),
        "version_full": sys.version,
        "implementation": platform.python_implementation(),
        "start_method_default": mp.get_start_method(),
        "cpu_count": os.cpu_count(),
        "perf_counter": str(time.get_clock_info("perf_counter")),
    }
    if hasattr(os, "sched_getaffinity"):
        m["sched_affinity"] = len(os.sched_getaffinity(0))
    return m


def main(argv):
    import argparse
    import json

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("workload", nargs="?", help="the workload to run one trial set of")
    ap.add_argument("--trials", type=int, default=5, help="timed trials per metric")
    ap.add_argument("--warmup", type=int, default=1, help="untimed trials before them")
    ap.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                    help="a workload parameter (repeatable)")
    ap.add_argument("--meta", action="store_true", help="print interpreter facts and exit")
    ap.add_argument("--list", action="store_true", help="print workload names and exit")
    a = ap.parse_args(argv)
    if a.meta:
        print(json.dumps(meta()))
        return 0
    if a.list:
        print("\n".join(WORKLOADS))
        return 0
    if a.workload not in WORKLOADS:
        ap.error(f"unknown workload {a.workload!r}; known: {', '.join(WORKLOADS)}")
    params = {}
    for kv in a.param:
        k, sep, v = kv.partition("=")
        if not sep:
            ap.error(f"--param wants KEY=VALUE, got {kv!r}")
        params[k] = v
    ts = TrialSet()
    t0 = time.monotonic()
    WORKLOADS[a.workload](ts, a.warmup, a.trials, params)
    out = {
        "workload": a.workload,
        "trials": a.trials,
        "warmup": a.warmup,
        "params": ts.params,
        "notes": ts.notes,
        "checks": ts.checks,
        "metrics": ts.metrics,
        "wall_s": round(time.monotonic() - t0, 3),
        "python": sys.version.split()[0],
    }
    print(json.dumps(out))
    failed = [k for k, c in ts.checks.items() if not c["ok"]]
    if failed:
        print(f"mp_side.py: {a.workload}: failed checks: {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
