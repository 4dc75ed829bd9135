"""Analyses: read the core tree, never change it."""
