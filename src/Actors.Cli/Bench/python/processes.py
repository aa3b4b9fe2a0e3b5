"""multiprocessing.Pool(P).map(square, range(N), chunksize=C): the competitor of `actors bench processes`.

usage: processes.py N P CHUNKSIZE REPEAT      (CHUNKSIZE 0 = Python's own choice)

Prints {"items": N, "seconds": S, "startup_seconds": T, "sum": SUM}: "seconds" is the median of
REPEAT map calls on a started, warmed pool; "startup_seconds" is Pool() plus a first small map.
"""
import json
import statistics
import sys
import time
from multiprocessing import Pool


def square(x):
    return x * x


def main(n, processes, chunksize, repeat):
    started = time.perf_counter()
    with Pool(processes=processes) as pool:
        pool.map(square, range(processes), chunksize=1)
        ready = time.perf_counter()
        timings = []
        for _ in range(repeat):
            begin = time.perf_counter()
            results = pool.map(square, range(n), chunksize=chunksize or None)
            timings.append(time.perf_counter() - begin)
    print(json.dumps({"items": len(results), "seconds": statistics.median(timings),
                      "startup_seconds": ready - started, "sum": sum(results)}))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
