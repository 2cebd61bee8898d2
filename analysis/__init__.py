"""Pure analysis on view frames (pandas + domain only): target status, projections, rankings, peers.

Kept apart from ``charts/`` (figures) and ``ui/`` (Streamlit) so the maths is testable on plain frames.
"""
