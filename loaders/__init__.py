"""Read the reports ministries and provinces send (shapes A–D, .xlsx/.xls/.csv) into observations."""

from loaders.check import CheckResult, check_file

__all__ = ["CheckResult", "check_file"]
