"""Single tasks, as the course's pool runs them one call at a time: N x pool.apply_async(square, (i,)),
then every result's get().

usage: apply.py N [P]      defaults: P = the core count

Prints {"count": N, "processes": P, "seconds": S, "sum": SUM}. "seconds" times the submits and the
gets only: the pool has been started, and has answered a first task per process, before the clock
starts. "sum" is the sum of the results, to be checked by the caller.
"""
import json
import os
import sys
import time
from multiprocessing import Pool


def square(x):
    return x * x


def run(n, processes):
    with Pool(processes=processes) as pool:
        pool.map(square, range(processes), chunksize=1)
        begin = time.perf_counter()
        pending = [pool.apply_async(square, (i,)) for i in range(n)]
        results = [task.get() for task in pending]
        seconds = time.perf_counter() - begin
    return {"count": len(results), "processes": processes, "seconds": seconds, "sum": sum(results)}


if __name__ == "__main__":
    count = int(sys.argv[1])
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else os.cpu_count()
    print(json.dumps(run(count, workers)))
