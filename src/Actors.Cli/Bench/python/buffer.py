"""The course's question 4 without its sleeps: one thread appends numbers to a shared list,
another removes them from the front, and a threading.Lock guards every access.

usage: buffer.py N      prints {"items": N, "seconds": S, "count": C, "sum": T}

Like the seed, the list is unbounded and the consumer polls (a turn that finds the list empty
removes nothing and tries again). The one change: the shared list is a collections.deque, because
list.pop(0) copies the whole remaining list on every call, which would turn this comparison into
a measure of quadratic copying rather than of lock-guarded threads. The count and sum of what the
consumer removed are printed for the harness to check; they are computed inside the consumer's
loop, as the course's consumer does its work there.
"""
import json
import sys
import threading
import time
from collections import deque


def run(n):
    shared = deque()
    lock = threading.Lock()
    taken = [0, 0]  # count, sum

    def add_numbers():
        for i in range(n):
            with lock:
                shared.append(i)

    def remove_numbers():
        count = 0
        total = 0
        while count < n:
            with lock:
                if shared:
                    total += shared.popleft()
                    count += 1
        taken[0] = count
        taken[1] = total

    producer = threading.Thread(target=add_numbers)
    consumer = threading.Thread(target=remove_numbers)
    start = time.perf_counter()
    producer.start()
    consumer.start()
    producer.join()
    consumer.join()
    seconds = time.perf_counter() - start
    return seconds, taken[0], taken[1]


if __name__ == "__main__":
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    seconds, count, total = run(items)
    print(json.dumps({"items": items, "seconds": seconds, "count": count, "sum": total}))
