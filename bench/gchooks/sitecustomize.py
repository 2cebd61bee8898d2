"""Bench only: bench/wsload.py puts this directory on the replicas' PYTHONPATH.

* Every garbage collection is timed (``gc.callbacks``, CPU time of the collecting thread), by generation:
  the full collection Streamlit runs after every script run (``runner.postScriptGC``) and Python's own
  automatic ones alike.
* SIGUSR1: ``gc.freeze()`` — every object alive now (after a warm-up: the modules and the warmed caches)
  moves to the permanent generation, which no later collection walks (``--gc freeze``).
* SIGUSR2: the totals so far, the objects the collector tracks and those frozen are written to
  ``$CCHC_GC_STATS_DIR/gc-<pid>.json``.
"""

import gc
import json
import os
import signal
import time

_totals = {0: [0, 0.0], 1: [0, 0.0], 2: [0, 0.0]}
_started = [0.0]


def _timer(phase, info):
    if phase == "start":
        _started[0] = time.thread_time()
    else:
        entry = _totals[info["generation"]]
        entry[0] += 1
        entry[1] += time.thread_time() - _started[0]


def _dump(*_):
    folder = os.environ.get("CCHC_GC_STATS_DIR")
    if folder:
        path = os.path.join(folder, f"gc-{os.getpid()}.json")
        with open(path + ".tmp", "w") as f:
            json.dump({"collections": _totals, "frozen": gc.get_freeze_count(), "tracked": len(gc.get_objects())}, f)
        os.replace(path + ".tmp", path)


gc.callbacks.append(_timer)
signal.signal(signal.SIGUSR1, lambda *_: gc.freeze())
signal.signal(signal.SIGUSR2, _dump)
