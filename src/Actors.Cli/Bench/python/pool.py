"""The course's question 2 at benchmark size: multiprocessing.Pool(P).map(square, range(N)).

usage: pool.py [N] [P] [REPEAT] [CHUNKSIZE]   defaults: 1000000, the core count, 3, Python's own choice
P = 0 maps in this one thread, without a pool: list(map(square, range(N))).

Prints {"items": N, "count": N, "processes": P, "seconds": S, "startup_seconds": T, "sum": SUM}.
"seconds" is the median of REPEAT pool.map calls and times the map call only: the pool has been
started, and has answered a first small map, before the clock starts. "startup_seconds" is that
start-up (Pool() plus the first small map). "sum" is the sum of the squares, to be checked by
the caller.
"""
import json
import os
import statistics
import sys
import time
from multiprocessing import Pool


def square(x):
    return x * x


def run_here(n, repeat):
    timings = []
    for _ in range(repeat):
        begin = time.perf_counter()
        results = list(map(square, range(n)))
        timings.append(time.perf_counter() - begin)
    return {
        "items": len(results),
        "count": len(results),
        "processes": 0,
        "seconds": statistics.median(timings),
        "startup_seconds": 0.0,
        "sum": sum(results),
    }


def run(n, processes, repeat, chunksize=None):
    if processes == 0:
        return run_here(n, repeat)
    started = time.perf_counter()
    with Pool(processes=processes) as pool:
        # a first small map, so that the workers are up and answering before the clock starts
        pool.map(square, range(processes), chunksize=1)
        ready = time.perf_counter()
        timings = []
        for _ in range(repeat):
            begin = time.perf_counter()
            results = pool.map(square, range(n), chunksize=chunksize)
            timings.append(time.perf_counter() - begin)
    return {
        "items": len(results),
        "count": len(results),
        "processes": processes,
        "seconds": statistics.median(timings),
        "startup_seconds": ready - started,
        "sum": sum(results),
    }


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else os.cpu_count()
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    chunks = int(sys.argv[4]) if len(sys.argv) > 4 else None
    print(json.dumps(run(count, workers, repeats, chunks)))
