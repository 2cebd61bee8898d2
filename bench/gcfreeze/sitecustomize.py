"""Bench only (bench/wsload.py --gc freeze puts this directory on a replica's PYTHONPATH).

On SIGUSR1 the process calls ``gc.freeze()``: every object alive at that moment (after a warm-up: the
loaded modules and the warmed caches) moves to the permanent generation, which no later collection
walks, Streamlit's full collection after every script run included.
"""

import gc
import signal

signal.signal(signal.SIGUSR1, lambda *_: gc.freeze())
