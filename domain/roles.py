"""The roles of an account, lowest first: a role may do all that the roles before it may."""

from __future__ import annotations

ROLES = ("viewer", "secretariat", "admin")
