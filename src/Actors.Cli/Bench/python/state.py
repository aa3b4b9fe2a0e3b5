"""The course's question 5 tools as competitors: a shared counter guarded by a lock.

usage: state.py threads N ROUNDS    2 threads, N increments each, `with lock: counter += 1`
       state.py value N ROUNDS      2 processes, N increments each, multiprocessing.Value('q')
                                    with its own lock: `with v.get_lock(): v.value += 1`
       state.py manager N ROUNDS    2 processes, N increments each, through a Manager's Value and
                                    Lock proxies (a server process, like the actor that owns a value)

Prints {"seconds": S, "count": 2N, "sum": T}: S is the median of ROUNDS rounds (the benchmark runs
one per call), each timed from the moment both workers are ready (a barrier) to the moment both have
finished; 2N is the increments made per round and T the counter after the last round, checked by the
caller. Process start-up is outside the clock.
"""
import json
import multiprocessing as mp
import statistics
import sys
import threading
import time

WORKERS = 2


def thread_round(n):
    lock = threading.Lock()
    counter = [0]
    ready = threading.Barrier(WORKERS + 1)

    def work():
        ready.wait()
        for _ in range(n):
            with lock:
                counter[0] += 1

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    ready.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    return seconds, counter[0]


def value_worker(value, lock, n, ready, done):
    ready.wait()
    for _ in range(n):
        with lock:
            value.value += 1
    done.put(1)


def process_round(n, value, lock):
    ready = mp.Barrier(WORKERS + 1)
    done = mp.Queue()
    workers = [mp.Process(target=value_worker, args=(value, lock, n, ready, done)) for _ in range(WORKERS)]
    for w in workers:
        w.start()
    ready.wait()
    started = time.perf_counter()
    for _ in workers:
        done.get()
    seconds = time.perf_counter() - started
    for w in workers:
        w.join()
    return seconds


def run(mode, n, rounds):
    timings = []
    if mode == "threads":
        for _ in range(rounds):
            seconds, total = thread_round(n)
            timings.append(seconds)
    elif mode == "value":
        value = mp.Value('q', 0)
        for _ in range(rounds):
            value.value = 0
            timings.append(process_round(n, value, value.get_lock()))
        total = value.value
    elif mode == "manager":
        with mp.Manager() as manager:
            value = manager.Value('q', 0)
            lock = manager.Lock()
            for _ in range(rounds):
                value.value = 0
                timings.append(process_round(n, value, lock))
            total = value.value
    else:
        raise SystemExit(f"unknown mode {mode!r}; expected threads, value or manager")
    return {"seconds": statistics.median(timings), "count": WORKERS * n, "sum": total}


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    print(json.dumps(run(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
