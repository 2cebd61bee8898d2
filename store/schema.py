"""Table definitions (SQLAlchemy Core). Migrations in ``store/migrations`` create exactly these."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

uploads = sa.Table(
    "uploads",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("file_name", sa.String(255), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("size_bytes", sa.BigInteger, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=True),  # the original file, byte for byte
    sa.Column("uploaded_by", sa.String(100), nullable=False),
    sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),  # published | superseded | rolled_back
    sa.Column("format", sa.String(10), nullable=False),  # A | B | C | D | demo
    sa.Column("periods", sa.String(500), nullable=False, server_default=""),
    sa.Column("units", sa.Text, nullable=False, server_default=""),
    sa.Column("n_observations", sa.Integer, nullable=False, server_default="0"),
    sa.Column("n_warnings", sa.Integer, nullable=False, server_default="0"),
    sa.Column("is_demo", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    # The original holds personal data (a dossier export, shape D: applicants' names, ID numbers): its bytes
    # are purged after the retention the admin sets (store/retention.py); the figures stay.
    sa.Column("personal_data", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True),
)

observations = sa.Table(
    "observations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("upload_id", sa.Integer, sa.ForeignKey("uploads.id", ondelete="CASCADE"), nullable=False),
    sa.Column("indicator", sa.String(64), nullable=False),
    sa.Column("unit", sa.String(32), nullable=False),
    sa.Column("period", sa.String(10), nullable=False),
    sa.Column("sector", sa.String(32), nullable=False, server_default=""),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False, server_default="1"),
    sa.Column("superseded", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("sheet", sa.String(100), nullable=True),
    sa.Column("row", sa.Integer, nullable=True),
    sa.Column("col", sa.String(8), nullable=True),
    sa.Index("ix_obs_lookup", "indicator", "period", "superseded"),
    sa.Index("ix_obs_unit", "unit", "period"),
    sa.Index("ix_obs_upload", "upload_id"),
    # One current value per key: concurrent ingests of the same figures cannot both win.
    sa.Index(
        "uq_obs_current",
        "indicator",
        "unit",
        "period",
        "sector",
        unique=True,
        sqlite_where=sa.text("superseded = 0"),
        postgresql_where=sa.text("superseded = false"),
    ),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("target", sa.String(255), nullable=False, server_default=""),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
    sa.Index("ix_audit_at", "at"),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("role", sa.String(20), nullable=False),  # viewer | secretariat | admin
    sa.Column("scopes", sa.Text, nullable=False, server_default=""),  # space-separated unit ids
    sa.Column("email", sa.String(255), nullable=True),
    sa.Column("password_hash", sa.String(255), nullable=True),
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"),
    sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

sessions = sa.Table(
    "sessions",
    metadata,
    # sha256 of the browser's session cookie: a stolen database does not yield live sessions.
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
)

session_tickets = sa.Table(
    "session_tickets",
    metadata,
    # A sign-in's one-time ticket: the browser swaps it at /_cchc/session for the HttpOnly session cookie
    # (ui/session_routes.py). Only the ticket's sha256 is stored, and the session token sealed with a key
    # derived from the ticket, so neither a stolen database nor a stolen log line alone yields a session.
    sa.Column("ticket_hash", sa.String(64), primary_key=True),
    sa.Column("sealed", sa.String(128), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

login_failures = sa.Table(
    "login_failures",
    metadata,
    # Failed sign-ins counted per key: "pair:NAME|ADDRESS", "addr:ADDRESS" and "name:NAME" (any name typed,
    # known or not, so the answer never tells which names exist); each key is delayed on its own.
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
)

column_mappings = sa.Table(
    "column_mappings",
    metadata,
    # A person's decision about a column header: what it means, for whom, who decided and when.
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("header_key", sa.String(255), nullable=False),  # loaders.vocabulary.header_key
    sa.Column("header", sa.String(500), nullable=False),  # the header as first written
    sa.Column("target", sa.String(64), nullable=False),  # indicator id or "@ignore"
    sa.Column("scope", sa.String(120), nullable=False),  # a unit id, "user:NAME", or "*" (everyone)
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_by", sa.String(100), nullable=True),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_column_mappings_key", "header_key"),
)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(255), nullable=False),
)
