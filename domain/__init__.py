"""Pure domain layer: catalogues, periods, eras, re-basing and KPI maths. Imports nothing else of ours."""
