"""Persistence: database engine, schema, uploads, audit and queries. The only package with SQL."""
