"""Pure domain layer: catalogues, periods, eras, re-basing and KPI maths. Imports nothing else of ours.

Text columns of every frame are held as Python strings (pandas' ``str`` dtype with Python storage) rather
than Arrow's: the pages cut, compare and look up small frames on every run, where each Arrow call's set-up
and its conversions to NumPy cost more than the work itself (a third of a busy server's time was in them).
Set here, once, because every layer imports the domain before it builds a frame.
"""

import pandas as pd

pd.set_option("mode.string_storage", "python")
