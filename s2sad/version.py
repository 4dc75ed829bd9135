"""The version of s2sad, written once: the package metadata (pyproject.toml) reads it
here, and the derivative cache keys on it."""

VERSION = "0.1.0"
