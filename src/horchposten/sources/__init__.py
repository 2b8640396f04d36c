"""Sources: one module per platform, each behind the seam in ``base.py``."""
