/* The C floor of the side-by-side MPI workloads: MpiBench (Java) and mpi_side.py (mpi4py) measure the same
 * operations the same way. Rank 0 prints "RESULT <metric> <microseconds>": the best, over reps repetitions,
 * of the mean time of iters operations (one-way latency is half a round trip; a collective's time is the
 * slowest rank's). Compiled at bench time: mpicc -O2 -o mpi_bench mpi_bench.c; run: mpirun -n 2 ./mpi_bench [quick]
 * [multiple]. Without "multiple" MPI is initialised by MPI_Init (MPI_THREAD_SINGLE in Open MPI); with it by
 * MPI_Init_thread(MPI_THREAD_MULTIPLE), which must be granted (the level the JVM backends ask for by default: Open MPI
 * 4.1 charges about 0.1 us per small call above SINGLE), so that each backend row has a C floor at its own level. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int rank, quick, reps;

typedef void (*body_fn)(int iters, void *ctx);

static double best(int iters, body_fn body, void *ctx) {
    body(iters / 5 > 0 ? iters / 5 : 1, ctx);
    double b = 1e300;
    for (int r = 0; r < reps; r++) {
        MPI_Barrier(MPI_COMM_WORLD);
        double t0 = MPI_Wtime();
        body(iters, ctx);
        double us = (MPI_Wtime() - t0) * 1e6 / iters, max;
        MPI_Allreduce(&us, &max, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        if (max < b) b = max;
    }
    return b;
}

static void report(const char *metric, double us) {
    if (rank == 0) { printf("RESULT %s %.4f\n", metric, us); fflush(stdout); }
}

struct buf { double *p; int n; double *q; };

/* A buffer of n doubles, every page written: calloc's untouched pages all map the kernel's one zero page, which
 * MPI would then read from cache; Java's arrays and numpy's filled arrays are real memory, so the floor must be too. */
static double *filled(int n) {
    double *p = malloc((size_t) n * sizeof(double));
    if (p == NULL) { fprintf(stderr, "mpi_bench: out of memory\n"); MPI_Abort(MPI_COMM_WORLD, 1); }
    for (int i = 0; i < n; i++) p[i] = i + rank;
    return p;
}

static void pingpong(int iters, void *c) {
    struct buf *b = c; int peer = 1 - rank;
    for (int i = 0; i < iters; i++) {
        if (rank == 0) {
            MPI_Send(b->p, b->n, MPI_DOUBLE, peer, 0, MPI_COMM_WORLD);
            MPI_Recv(b->p, b->n, MPI_DOUBLE, peer, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        } else {
            MPI_Recv(b->p, b->n, MPI_DOUBLE, peer, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MPI_Send(b->p, b->n, MPI_DOUBLE, peer, 0, MPI_COMM_WORLD);
        }
    }
}

static void bcast(int iters, void *c) {
    struct buf *b = c;
    for (int i = 0; i < iters; i++) MPI_Bcast(b->p, b->n, MPI_DOUBLE, 0, MPI_COMM_WORLD);
}

static void scatter(int iters, void *c) {
    struct buf *b = c;
    for (int i = 0; i < iters; i++)
        MPI_Scatter(b->p, b->n / 2, MPI_DOUBLE, b->q, b->n / 2, MPI_DOUBLE, 0, MPI_COMM_WORLD);
}

static void allreduce(int iters, void *c) {
    struct buf *b = c;
    for (int i = 0; i < iters; i++) MPI_Allreduce(b->p, b->q, b->n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
}

int main(int argc, char **argv) {
    int multiple = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "quick") == 0) quick = 1;
        else if (strcmp(argv[i], "multiple") == 0) multiple = 1;
        else { fprintf(stderr, "mpi_bench: unknown argument %s (expected quick, multiple)\n", argv[i]); return 2; }
    }
    if (multiple) {
        int provided;
        MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided);
        if (provided != MPI_THREAD_MULTIPLE) {
            fprintf(stderr, "mpi_bench: MPI_THREAD_MULTIPLE asked for, %d provided\n", provided);
            MPI_Abort(MPI_COMM_WORLD, 3);
        }
    } else {
        MPI_Init(&argc, &argv);
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    reps = quick ? 2 : 10;
    int sizes[] = {8, 4096, 1 << 20};
    char name[64];
    for (int s = 0; s < 3; s++) {
        struct buf b = {filled(sizes[s] / 8), sizes[s] / 8, NULL};
        int iters = quick ? 100 : sizes[s] >= (1 << 20) ? 200 : 20000;
        snprintf(name, sizeof name, "pingpong_oneway_%dB_us", sizes[s]);
        report(name, best(iters, pingpong, &b) / 2);
        free(b.p);
    }
    int bsizes[] = {8, 1 << 20};
    for (int s = 0; s < 2; s++) {
        struct buf b = {filled(bsizes[s] / 8), bsizes[s] / 8, NULL};
        int iters = quick ? 100 : bsizes[s] >= (1 << 20) ? 200 : 20000;
        snprintf(name, sizeof name, "bcast_%dB_us", bsizes[s]);
        report(name, best(iters, bcast, &b));
        free(b.p);
    }
    {
        struct buf b = {filled((1 << 20) / 8), (1 << 20) / 8, filled((1 << 20) / 16)};
        report("scatter_1048576B_us", best(quick ? 50 : 200, scatter, &b));
        free(b.p); free(b.q);
    }
    int counts[] = {1, 1 << 20};
    for (int s = 0; s < 2; s++) {
        struct buf b = {filled(counts[s]), counts[s], filled(counts[s])};
        snprintf(name, sizeof name, "allreduce_%dd_us", counts[s]);
        report(name, best(quick ? 20 : counts[s] > 1 ? 50 : 20000, allreduce, &b));
        free(b.p); free(b.q);
    }
    MPI_Finalize();
    return 0;
}
