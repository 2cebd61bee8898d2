"""Documents the app writes: annotated refusals, blank templates, meeting briefs, exports."""
