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


def echo_obj(conn):
    recv, send = conn.recv, conn.send
    while True:
        o = recv()
        if o is None:
            break
        send(o)
    conn.close()


def echo_bytes(conn):
    recv, send = conn.recv_bytes, conn.send_bytes
    while True:
        b = recv()
        if b == b"q":
            break
        send(b)
    conn.close()


def stream_sink(r, ack):
    """Receive messages; an empty message ends a trial (ack it), b'q' quits."""
    recv = r.recv_bytes
    total = 0
    while True:
        b = recv()
        n = len(b)
        if n == 0:
            ack.send_bytes(total.to_bytes(8, "little"))
            total = 0
            continue
        if n == 1 and b == b"q":
            break
        total += n
    r.close()
    ack.close()


def q_prod(q, start, count, ready, go):
    ready.release()
    go.wait()
    put = q.put
    for i in range(start, start + count):
        put(i)


def q_cons(q, ready, go, res):
    ready.release()
    go.wait()
    get = q.get
    n = 0
    t_last = 0
    while True:
        x = get()
        if x is None:
            break
        n += 1
        t_last = now()
    res.send((n, t_last))
    res.close()


def jq_worker(q):
    while True:
        x = q.get()
        q.task_done()
        if x is None:
            break


def val_incr(v, m, ready, go, res):
    ready.release()
    go.wait()
    lock = v.get_lock()
    for _ in range(m):
        with lock:
            v.value += 1
    res.send_bytes(now().to_bytes(8, "little"))
    res.close()


def mgr_dict_child(d, k, res):
    t0 = now()
    for i in range(k):
        d[i] = i
    t1 = now()
    s = 0
    for i in range(k):
        s += d[i]
    t2 = now()
    res.send((t0, t1, t2, s))
    res.close()


def mgr_list_child(lst, k, res):
    t0 = now()
    for i in range(k):
        lst.append(i)
    t1 = now()
    res.send((t0, t1))
    res.close()


def arr_writer(arr, n, cmd):
    import array
    src = memoryview(array.array("d", range(n))).cast("B")
    dst = memoryview(arr).cast("B")
    while True:
        if cmd.recv_bytes() == b"q":
            break
        t0 = now()
        dst[:] = src
        t1 = now()
        cmd.send((t0, t1))
    cmd.close()


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


def wl_pipe_pingpong_small(ts, warmup, trials, params):
    """Round trips of a small tuple through a duplex Pipe (a socketpair) to an echoing child."""
    n = int(params.get("rounds", "10000"))
    msg = (123456789, 3.14159, "hello")
    ts.params.update(rounds=n, message=repr(msg), pipe="Pipe() duplex (socketpair)")
    ctx = mp.get_context()
    a, b = ctx.Pipe()
    p = ctx.Process(target=echo_obj, args=(b,))
    p.start()
    b.close()
    a.send(msg)
    ts.check("echo_equal", a.recv() == msg)

    def trial():
        send, recv = a.send, a.recv
        t0 = now()
        for _ in range(n):
            send(msg)
            recv()
        t1 = now()
        rtt = (t1 - t0) / n / 1e3
        ts.add("rtt_us", rtt, "us")
        ts.add("oneway_us", rtt / 2, "us")
        ts.add("roundtrips_per_s", n / ((t1 - t0) / 1e9), "1/s", "higher")

    ts.repeat(warmup, trials, trial)
    a.send(None)
    p.join()
    a.close()


def wl_pipe_pingpong_bytes(ts, warmup, trials, params):
    """Round trips of byte messages through a duplex Pipe; one-way streaming of 1 MiB messages."""
    plan = []
    for part in params.get("size_rounds", "64:10000,65536:2000,1048576:200").split(","):
        size, rounds = part.split(":")
        plan.append((int(size), int(rounds)))
    msgs = int(params.get("stream_msgs", "256"))
    size_stream = 1 << 20
    ts.params.update(size_rounds=plan, stream_size=size_stream, stream_msgs=msgs,
                     pipe="Pipe() duplex (socketpair) for round trips and the stream")
    ctx = mp.get_context()
    a, b = ctx.Pipe()
    p = ctx.Process(target=echo_bytes, args=(b,))
    p.start()
    b.close()
    for size, rounds in plan:
        buf = bytes(range(256)) * (size // 256) + bytes(size % 256)
        a.send_bytes(buf)
        ts.check(f"echo_equal_{size}", a.recv_bytes() == buf)

        def trial(buf=buf, size=size, rounds=rounds):
            send, recv = a.send_bytes, a.recv_bytes
            t0 = now()
            for _ in range(rounds):
                send(buf)
                recv()
            t1 = now()
            rtt = (t1 - t0) / rounds / 1e3
            ts.add(f"rtt_{size}B_us", rtt, "us")
            ts.add(f"oneway_{size}B_us", rtt / 2, "us")

        ts.repeat(warmup, trials, trial)
    a.send_bytes(b"q")
    p.join()
    a.close()

    buf = bytes(range(256)) * (size_stream // 256)
    r, w = ctx.Pipe(duplex=True)
    ack_r, ack_w = ctx.Pipe(duplex=False)
    p = ctx.Process(target=stream_sink, args=(r, ack_w))
    p.start()
    r.close()
    ack_w.close()

    def stream_trial():
        send = w.send_bytes
        t0 = now()
        for _ in range(msgs):
            send(buf)
        send(b"")
        got = int.from_bytes(ack_r.recv_bytes(), "little")
        t1 = now()
        ts.check("stream_all_bytes", got == size_stream * msgs, got)
        ts.add("stream_1048576B_oneway_socketpair_MBps", got / 1e6 / ((t1 - t0) / 1e9), "MB/s", "higher")

    ts.repeat(warmup, trials, stream_trial)
    w.send_bytes(b"q")
    p.join()
    w.close()
    ack_r.close()


def _queue_trial(ts, kind, P, C, N):
    ctx = mp.get_context()
    q = ctx.Queue() if kind == "queue" else ctx.SimpleQueue()
    ready = ctx.Semaphore(0)
    go = ctx.Event()
    base, extra = divmod(N, P)
    prods, start = [], 0
    for i in range(P):
        cnt = base + (1 if i < extra else 0)
        prods.append(ctx.Process(target=q_prod, args=(q, start, cnt, ready, go)))
        start += cnt
    cons, pipes = [], []
    for _ in range(C):
        r, w = ctx.Pipe(duplex=False)
        cons.append(ctx.Process(target=q_cons, args=(q, ready, go, w)))
        pipes.append((r, w))
    for p in prods + cons:
        p.start()
    for _, w in pipes:
        w.close()
    for _ in range(P + C):
        ready.acquire()
    t0 = now()
    go.set()
    for p in prods:
        p.join()
    for _ in range(C):
        q.put(None)
    results = [r.recv() for r, _ in pipes]
    for p in cons:
        p.join()
    for r, _ in pipes:
        r.close()
    total = sum(n for n, _ in results)
    ts.check("all_items_received", total == N, total)
    t_end = max(t for n, t in results if n > 0)
    ts.add("items_per_s", N / ((t_end - t0) / 1e9), "items/s", "higher")
    q.close()
    if kind == "queue":
        q.join_thread()


def _wl_queue(kind, P, C):
    def wl(ts, warmup, trials, params):
        n = int(params.get("items", "100000"))
        ts.params.update(items=n, producers=P, consumers=C, item="int",
                         queue="multiprocessing.Queue" if kind == "queue" else "multiprocessing.SimpleQueue")
        ts.notes.append("fresh processes per trial; clock from a shared start Event to the last item taken")
        ts.repeat(warmup, trials, lambda: _queue_trial(ts, kind, P, C, n))
    return wl


def wl_joinablequeue_roundtrip(ts, warmup, trials, params):
    """put + join round trips with one worker doing get + task_done; a batch of puts then one join."""
    k = int(params.get("roundtrips", "2000"))
    n = int(params.get("batch", "20000"))
    ts.params.update(roundtrips=k, batch_items=n)
    ctx = mp.get_context()
    q = ctx.JoinableQueue()
    p = ctx.Process(target=jq_worker, args=(q,))
    p.start()
    q.put(0)
    q.join()

    def trial():
        t0 = now()
        for i in range(k):
            q.put(i)
            q.join()
        t1 = now()
        ts.add("put_join_roundtrip_us", (t1 - t0) / k / 1e3, "us")
        t0 = now()
        for i in range(n):
            q.put(i)
        q.join()
        t1 = now()
        ts.add("batch_put_then_join_items_per_s", n / ((t1 - t0) / 1e9), "items/s", "higher")

    ts.repeat(warmup, trials, trial)
    q.put(None)
    q.join()
    p.join()
    q.close()
    q.join_thread()


def _value_trial(ts, ctx, m):
    v = ctx.Value("i", 0)
    ready = ctx.Semaphore(0)
    go = ctx.Event()
    ps, pipes = [], []
    for _ in range(2):
        r, w = ctx.Pipe(duplex=False)
        ps.append(ctx.Process(target=val_incr, args=(v, m, ready, go, w)))
        pipes.append((r, w))
    for p in ps:
        p.start()
    for _, w in pipes:
        w.close()
    for _ in ps:
        ready.acquire()
    t0 = now()
    go.set()
    end = max(int.from_bytes(r.recv_bytes(), "little") for r, _ in pipes)
    for p in ps:
        p.join()
    for r, _ in pipes:
        r.close()
    ts.check("2proc_locked_final_count_exact", v.value == 2 * m, f"final={v.value} expected={2 * m}")
    ts.add("2proc_locked_increments_per_s", 2 * m / ((end - t0) / 1e9), "incr/s", "higher")


def wl_value_increment_locked(ts, warmup, trials, params):
    """2 spawn processes each doing M increments of one Value('i') under its lock."""
    m = int(params.get("increments", "100000"))
    ctx = mp.get_context("spawn")
    ts.params.update(increments_per_process=m, processes=2, value="Value('i') (default RLock)",
                     start_method="spawn")
    ts.notes.append("each increment is `with v.get_lock(): v.value += 1`; fresh processes per trial, "
                    "clock from a start Event to the later child's end stamp")
    ts.repeat(warmup, trials, lambda: _value_trial(ts, ctx, m))


def wl_array_bulk(ts, warmup, trials, params):
    """A child writes Array('d', n, lock=False) by memoryview slice assignment; the parent sums it."""
    n = int(params.get("n", "10000000"))
    nbytes = n * 8
    ctx = mp.get_context("spawn")
    ts.params.update(array_n=n, array_MB=nbytes / 1e6, array="Array('d', n, lock=False)",
                     write="memoryview(arr).cast('B')[:] = memoryview(src).cast('B') in a child",
                     sum="sum(memoryview(arr)) in the parent")
    arr = ctx.Array("d", n, lock=False)
    a, b = ctx.Pipe()
    p = ctx.Process(target=arr_writer, args=(arr, n, b))
    p.start()
    b.close()
    view = memoryview(arr).cast("B")
    zeros = bytes(nbytes)
    expected = float(n * (n - 1) // 2)

    def trial():
        view[:] = zeros
        a.send_bytes(b"w")
        t0, t1 = a.recv()
        ts.add("child_write_GBps", nbytes / (t1 - t0), "GB/s", "higher")
        t0 = now()
        s = sum(view.cast("d"))
        t1 = now()
        ts.check("sum_exact", s == expected, f"sum={s} expected={expected}")
        ts.add("parent_sum_GBps", nbytes / (t1 - t0), "GB/s", "higher")

    ts.repeat(warmup, trials, trial)
    a.send_bytes(b"q")
    p.join()
    a.close()


def manager_start_trial(ts, ctx, method, pause=0.0):
    """One manager_start trial: after an untimed pause, Manager(), a first dict set, shutdown()."""
    time.sleep(pause)
    t0 = now()
    m = ctx.Manager()
    t1 = now()
    d = m.dict()
    d["x"] = 1
    t2 = now()
    m.shutdown()
    t3 = now()
    ts.add(f"{method}_start_ms", ms(t0, t1), "ms")
    ts.add(f"{method}_start_to_first_dict_set_ms", ms(t0, t2), "ms")
    ts.add(f"{method}_shutdown_ms", ms(t2, t3), "ms")


def wl_manager_start(ts, warmup, trials, params):
    """Manager() constructor returning (server process started and answering); shutdown."""
    methods = ["spawn"] + (["fork"] if params.get("fork", "1") == "1" else [])
    ts.params.update(start_methods=methods)
    ts.notes.append("start = Manager() constructor returning; first_dict_set = start + dict() + d['x'] = 1; "
                    "shutdown = manager.shutdown()")
    for method in methods:
        ctx = mp.get_context(method)
        ts.repeat(warmup, trials, lambda: manager_start_trial(ts, ctx, method))


# ------------------------------------------------------------------ pool workloads (mp_bench.py's)
def cube(x):
    return x * x * x


def noop_arg(x):
    return x


def cpu_task(n):
    return sum(i * i for i in range(n))


def count_words(text):
    from collections import Counter
    return Counter(text.split())


def wordcount_text(nbytes):
    """Words w0..w4999 drawn by the same linear congruential generator as PoolWorkload.text."""
    parts = []
    size = 0
    x = 12345
    while size < nbytes:
        x = (x * 1103515245 + 12345) & 0x7fffffff
        w = "w%d " % (x % 5000)
        parts.append(w)
        size += len(w)
    return "".join(parts)[:nbytes]


def wordcount_chunks(text, size):
    out = []
    at = 0
    n = len(text)
    while at < n:
        end = min(n, at + size)
        while end < n and text[end] != " ":
            end += 1
        out.append(text[at:end])
        at = end
    return out


def rate(n, t0, t1):
    return n / ((t1 - t0) / 1e9)


def pool_start_trial(ts, c, method, pause=0.0):
    """One pool_start trial: after an untimed pause, Pool(2), a first apply, close() and join()."""
    time.sleep(pause)
    t0 = now()
    pool = c.Pool(2)
    t1 = now()
    pool.apply(noop)
    t2 = now()
    pool.close()
    pool.join()
    t3 = now()
    ts.add(f"{method}_create_ms", ms(t0, t1), "ms")
    ts.add(f"{method}_create_to_first_result_ms", ms(t0, t2), "ms")
    ts.add(f"{method}_close_join_ms", ms(t2, t3), "ms")


def wl_pool_start(ts, warmup, trials, params):
    ts.notes.append("create = Pool(2) constructor; first_result = constructor + pool.apply(noop) answered; "
                    "close_join = close(); join().")
    for method in ("fork", "spawn"):
        c = mp.get_context(method)
        ts.repeat(warmup, trials, lambda: pool_start_trial(ts, c, method))


def quiet_start(ts, warmup, trials, params, what, trial):
    """what's start trial with the spawn method, each trial after an untimed pause (starts far apart)."""
    pause = float(params.get("pause_s", "1"))
    ts.params.update(start_methods=["spawn"], pause_s=pause)
    ts.notes.append("as " + what + " (spawn only), each trial after an untimed pause of pause_s seconds")
    ctx = mp.get_context("spawn")
    ts.repeat(warmup, trials, lambda: trial(ts, ctx, "spawn", pause))


def wl_manager_start_quiet(ts, warmup, trials, params):
    """manager_start with the spawn method, each trial after an untimed pause (starts far apart)."""
    quiet_start(ts, warmup, trials, params, "manager_start", manager_start_trial)


def wl_pool_start_quiet(ts, warmup, trials, params):
    """pool_start with the spawn method, each trial after an untimed pause (starts far apart)."""
    quiet_start(ts, warmup, trials, params, "pool_start", pool_start_trial)


def wl_manager_dict_ops(ts, warmup, trials, params):
    """A child does k d[i] = i sets, then k d[i] gets, through a DictProxy of Manager().dict()."""
    k = int(params.get("ops", "5000"))
    ts.params.update(ops_per_phase=k, key="int", value="int")
    ctx = mp.get_context()
    with ctx.Manager() as m:
        def trial():
            d = m.dict()
            r, w = ctx.Pipe(duplex=False)
            p = ctx.Process(target=mgr_dict_child, args=(d, k, w))
            p.start()
            w.close()
            t0, t1, t2, s = r.recv()
            p.join()
            r.close()
            ts.check("sum_of_gets", s == k * (k - 1) // 2, s)
            ts.check("len_dict", len(d) == k, len(d))
            ts.add("child_set_ops_per_s", k / ((t1 - t0) / 1e9), "ops/s", "higher")
            ts.add("child_get_ops_per_s", k / ((t2 - t1) / 1e9), "ops/s", "higher")

        ts.repeat(warmup, trials, trial)


def wl_manager_list_append(ts, warmup, trials, params):
    """A child appends k ints to a ListProxy of Manager().list()."""
    k = int(params.get("ops", "5000"))
    ts.params.update(appends=k)
    ctx = mp.get_context()
    with ctx.Manager() as m:
        def trial():
            lst = m.list()
            r, w = ctx.Pipe(duplex=False)
            p = ctx.Process(target=mgr_list_child, args=(lst, k, w))
            p.start()
            w.close()
            t0, t1 = r.recv()
            p.join()
            r.close()
            ts.check("len_list", len(lst) == k, len(lst))
            ts.add("child_append_ops_per_s", k / ((t1 - t0) / 1e9), "ops/s", "higher")

        ts.repeat(warmup, trials, trial)


def wl_manager_proxy_rtt(ts, warmup, trials, params):
    """Parent-side proxy calls: len(list_proxy) and dict_proxy[key], each one request/response."""
    k = int(params.get("calls", "5000"))
    ts.params.update(calls=k)
    ctx = mp.get_context()
    with ctx.Manager() as m:
        lst = m.list([1, 2, 3])
        d = m.dict({"k": 1})

        def trial():
            t0 = now()
            for _ in range(k):
                len(lst)
            t1 = now()
            for _ in range(k):
                d["k"]
            t2 = now()
            ts.add("list_len_rtt_us", (t1 - t0) / k / 1e3, "us")
            ts.add("dict_getitem_rtt_us", (t2 - t1) / k / 1e3, "us")

        ts.repeat(warmup, trials, trial)


def wl_pool_map_tiny(ts, warmup, trials, params):
    n_big = int(params.get("map_n", "1000000"))
    n_c1 = int(params.get("map_c1_n", "10000"))
    ts.params.update(workers=2, n_default_chunksize=n_big, n_chunksize_1=n_c1)
    with mp.get_context().Pool(2) as pool:
        pool.map(noop_arg, range(4), chunksize=1)
        exp_big = sum(cube(x) for x in range(n_big))

        def trial():
            t0 = now()
            res = pool.map(cube, range(n_big))
            t1 = now()
            ts.check("default_chunksize_result", sum(res) == exp_big)
            ts.add("default_chunksize_tasks_per_s", rate(n_big, t0, t1), "tasks/s", "higher")
            t0 = now()
            pool.map(cube, range(n_c1), chunksize=1)
            t1 = now()
            ts.add("chunksize_1_tasks_per_s", rate(n_c1, t0, t1), "tasks/s", "higher")

        ts.repeat(warmup, trials, trial)


def wl_pool_apply_async_latency(ts, warmup, trials, params):
    k = int(params.get("calls", "1000"))
    ts.params.update(calls=k, workers=2)
    with mp.get_context().Pool(2) as pool:
        pool.map(noop_arg, range(4), chunksize=1)

        def trial():
            t0 = now()
            for i in range(k):
                pool.apply_async(cube, (i,)).get()
            t1 = now()
            for i in range(k):
                pool.apply(cube, (i,))
            t2 = now()
            ts.add("apply_async_get_rtt_us", (t1 - t0) / k / 1e3, "us")
            ts.add("apply_rtt_us", (t2 - t1) / k / 1e3, "us")

        ts.repeat(warmup, trials, trial)


def wl_pool_imap_tiny(ts, warmup, trials, params):
    n = int(params.get("n", "200000"))
    n1 = int(params.get("n1", "10000"))
    cs = 1000
    ts.params.update(n=n, chunksize=cs, n_chunksize_1=n1, workers=2)
    with mp.get_context().Pool(2) as pool:
        pool.map(noop_arg, range(4), chunksize=1)

        def trial():
            t0 = now()
            s1 = sum(pool.imap(cube, range(n), chunksize=cs))
            t1 = now()
            ts.add(f"imap_chunksize_{cs}_tasks_per_s", rate(n, t0, t1), "tasks/s", "higher")
            t0 = now()
            s2 = sum(pool.imap_unordered(cube, range(n), chunksize=cs))
            t1 = now()
            ts.check("imap_sums", s1 == s2)
            ts.add(f"imap_unordered_chunksize_{cs}_tasks_per_s", rate(n, t0, t1), "tasks/s", "higher")
            t0 = now()
            sum(pool.imap(cube, range(n1)))
            t1 = now()
            ts.add("imap_chunksize_1_tasks_per_s", rate(n1, t0, t1), "tasks/s", "higher")

        ts.repeat(warmup, trials, trial)


def wl_pool_map_cpu(ts, warmup, trials, params):
    n, T = 200000, int(params.get("tasks", "32"))
    tasks = [n] * T
    ts.params.update(task=f"sum(i*i for i in range({n}))", tasks=T, chunksize=1)
    ctx = mp.get_context()
    with ctx.Pool(1) as pool1, ctx.Pool(2) as pool2:
        pool1.map(noop_arg, range(2), chunksize=1)
        pool2.map(noop_arg, range(4), chunksize=1)

        def trial():
            t0 = now()
            pool1.map(cpu_task, tasks, chunksize=1)
            t1 = now()
            pool2.map(cpu_task, tasks, chunksize=1)
            t2 = now()
            ts.add("pool1_s", (t1 - t0) / 1e9, "s")
            ts.add("pool2_s", (t2 - t1) / 1e9, "s")
            ts.add("speedup_pool2_vs_pool1", (t1 - t0) / (t2 - t1), "x", "higher")

        ts.repeat(warmup, trials, trial)


def wl_executor_map_tiny(ts, warmup, trials, params):
    import concurrent.futures as cf
    n1 = int(params.get("n1", "10000"))
    ts.params.update(n_chunksize_1=n1, workers=2)
    ctx = mp.get_context()

    def start_trial():
        t0 = now()
        ex = cf.ProcessPoolExecutor(max_workers=2, mp_context=ctx)
        ex.submit(noop).result()
        t1 = now()
        ex.shutdown()
        ts.add("create_to_first_result_ms", ms(t0, t1), "ms")

    ts.repeat(warmup, trials, start_trial)
    with cf.ProcessPoolExecutor(max_workers=2, mp_context=ctx) as ex:
        ex.submit(noop).result()

        def trial():
            t0 = now()
            sum(ex.map(cube, range(n1)))
            t1 = now()
            ts.add("chunksize_1_tasks_per_s", rate(n1, t0, t1), "tasks/s", "higher")

        ts.repeat(warmup, trials, trial)


def wl_pool_wordcount(ts, warmup, trials, params):
    from collections import Counter
    mb = int(params.get("mb", "20"))
    text = wordcount_text(mb << 20)
    parts = wordcount_chunks(text, 1 << 20)
    ts.params.update(text_MB=mb, chunk_bytes=1 << 20, chunks=len(parts), workers=2)
    with mp.get_context().Pool(2) as pool:
        pool.map(noop_arg, range(4), chunksize=1)

        def trial():
            t0 = now()
            single = count_words(text)
            t1 = now()
            merged = Counter()
            for part in pool.map(count_words, parts, chunksize=1):
                merged.update(part)
            t2 = now()
            ts.check("counts_agree", merged == single)
            ts.add("single_s", (t1 - t0) / 1e9, "s")
            ts.add("pool2_s", (t2 - t1) / 1e9, "s")
            ts.add("speedup_pool2_vs_single", (t1 - t0) / (t2 - t1), "x", "higher")

        ts.repeat(warmup, trials, trial)
def wl_mpi(ts, warmup, trials, params):
    """mpi4py under Open MPI's mpirun with 2 ranks (mpi_side.py), and the start of a 4-rank hello job."""
    import shutil
    import subprocess
    import tempfile
    script = params.get("script", "")
    mpirun = shutil.which("mpirun")
    if not mpirun or not script:
        ts.notes.append("skipped: no mpirun on the PATH (bin/setup-mpi installs Open MPI)")
        return
    try:
        subprocess.run([sys.executable, "-c", "import mpi4py, numpy"], check=True, capture_output=True)
    except subprocess.CalledProcessError:
        ts.notes.append(f"skipped: {sys.executable} has no mpi4py or numpy (bin/setup-mpi installs python3-mpi4py "
                        "python3-numpy)")
        return
    base = [mpirun, "--oversubscribe"] + (["--allow-run-as-root"] if os.geteuid() == 0 else [])
    env = dict(os.environ)
    env.pop("PYTHONUNBUFFERED", None)
    quick = ["quick"] if params.get("quick") == "1" else []
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write("from mpi4py import MPI\nc = MPI.COMM_WORLD\nprint('rank', c.Get_rank(), 'of', c.Get_size())\n")
        hello = f.name

    def trial():
        out = subprocess.run(base + ["-n", "2", sys.executable, script] + quick, check=True,
                             capture_output=True, text=True, env=env).stdout
        for line in out.splitlines():
            f = line.split()
            if len(f) == 3 and f[0] == "RESULT":
                ts.add(f[1], float(f[2]), "µs")
        t0 = now()
        subprocess.run(base + ["-n", "4", sys.executable, hello], check=True, capture_output=True, env=env)
        t1 = now()
        ts.add("job_start_4_ranks_ms", ms(t0, t1), "ms")

    try:
        ts.repeat(warmup, trials, trial)
    finally:
        os.unlink(hello)


WORKLOADS = {
    "process_start": wl_process_start,
    "pipe_pingpong_small": wl_pipe_pingpong_small,
    "pipe_pingpong_bytes": wl_pipe_pingpong_bytes,
    "queue_throughput_1p1c": _wl_queue("queue", 1, 1),
    "queue_throughput_4p1c": _wl_queue("queue", 4, 1),
    "queue_throughput_2p2c": _wl_queue("queue", 2, 2),
    "simplequeue_throughput_1p1c": _wl_queue("simple", 1, 1),
    "joinablequeue_roundtrip": wl_joinablequeue_roundtrip,
    "value_increment_locked": wl_value_increment_locked,
    "array_bulk": wl_array_bulk,
    "manager_start": wl_manager_start,
    "manager_start_quiet": wl_manager_start_quiet,
    "manager_dict_ops": wl_manager_dict_ops,
    "manager_list_append": wl_manager_list_append,
    "manager_proxy_rtt": wl_manager_proxy_rtt,
    "pool_start": wl_pool_start,
    "pool_start_quiet": wl_pool_start_quiet,
    "pool_map_tiny": wl_pool_map_tiny,
    "pool_apply_async_latency": wl_pool_apply_async_latency,
    "pool_imap_tiny": wl_pool_imap_tiny,
    "pool_map_cpu": wl_pool_map_cpu,
    "executor_map_tiny": wl_executor_map_tiny,
    "pool_wordcount": wl_pool_wordcount,
    "mpi": wl_mpi,
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
