"""mpi4py's half of the side-by-side MPI workloads (MpiBench in Java, mpi_bench.c in C measure the same things
the same way). Run: mpirun -n 2 python3 mpi_side.py [quick]. Rank 0 prints "RESULT <metric> <microseconds>":
the best, over reps repetitions, of the mean time of iters operations (one-way latency is half a round trip; a
collective's time is the slowest rank's). Buffer forms use numpy arrays (uppercase methods), object forms the
tutorial's small dict through pickle (lowercase methods)."""
import sys

import numpy as np
from mpi4py import MPI

comm = MPI.COMM_WORLD
rank = comm.Get_rank()
quick = len(sys.argv) > 1 and sys.argv[1] == "quick"
reps = 2 if quick else 10


def best(iters, body):
    body(max(1, iters // 5))
    b = float("inf")
    for _ in range(reps):
        comm.Barrier()
        t0 = MPI.Wtime()
        body(iters)
        us = np.array([(MPI.Wtime() - t0) * 1e6 / iters])
        mx = np.zeros(1)
        comm.Allreduce(us, mx, op=MPI.MAX)
        b = min(b, mx[0])
    return b


def filled(n):
    # every page written: np.zeros' untouched pages all map the kernel's one zero page, which MPI would then read
    # from cache (Java's arrays and the C floor's buffers are real memory)
    return np.arange(n, dtype=np.float64) + rank


def report(metric, us):
    if rank == 0:
        print(f"RESULT {metric} {us:.4f}", flush=True)


peer = 1 - rank
for size in (8, 4096, 1 << 20):
    buf = filled(size // 8)
    iters = 100 if quick else (200 if size >= 1 << 20 else 20000)

    def pingpong(n, buf=buf):
        for _ in range(n):
            if rank == 0:
                comm.Send(buf, dest=peer, tag=0)
                comm.Recv(buf, source=peer, tag=0)
            else:
                comm.Recv(buf, source=peer, tag=0)
                comm.Send(buf, dest=peer, tag=0)
    report(f"pingpong_oneway_{size}B_us", best(iters, pingpong) / 2)

for size in (8, 1 << 20):
    buf = filled(size // 8)
    iters = 100 if quick else (200 if size >= 1 << 20 else 20000)

    def bcast(n, buf=buf):
        for _ in range(n):
            comm.Bcast(buf, root=0)
    report(f"bcast_{size}B_us", best(iters, bcast))

send = filled((1 << 20) // 8)
recv = filled((1 << 20) // 16)


def scatter(n):
    for _ in range(n):
        comm.Scatter(send, recv, root=0)


report("scatter_1048576B_us", best(50 if quick else 200, scatter))

for count in (1, 1 << 20):
    s = filled(count)
    r = filled(count)

    def allreduce(n, s=s, r=r):
        for _ in range(n):
            comm.Allreduce(s, r, op=MPI.SUM)
    report(f"allreduce_{count}d_us", best(20 if quick else (50 if count > 1 else 20000), allreduce))

small = {'key1': [7, 2.72, 2 + 3j], 'key2': ('abc', 'xyz')}


def obj_pingpong(n):
    for _ in range(n):
        if rank == 0:
            comm.send(small, dest=peer, tag=0)
            comm.recv(source=peer, tag=0)
        else:
            o = comm.recv(source=peer, tag=0)
            comm.send(o, dest=peer, tag=0)


report("object_pingpong_oneway_us", best(100 if quick else 20000, obj_pingpong) / 2)


def obj_bcast(n):
    for _ in range(n):
        comm.bcast(small if rank == 0 else None, root=0)


report("object_bcast_us", best(100 if quick else 20000, obj_bcast))
