"""Horchposten: self-hosted social listening."""

__version__ = "0.1.0"
