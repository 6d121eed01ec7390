"""The PyTorch side's timer, as bench/Timing.h times needle's side."""
import time


def median_ms(runs, body):
    """Median of `runs` timed calls of `body` in milliseconds, after warm-up
    calls (at least 10 and 100 ms)."""
    warm_up_start = time.perf_counter()
    calls = 0
    while calls < 10 or time.perf_counter() - warm_up_start < 0.1:
        body()
        calls += 1
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        body()
        times.append((time.perf_counter() - start) * 1e3)
    times.sort()
    return times[len(times) // 2]
