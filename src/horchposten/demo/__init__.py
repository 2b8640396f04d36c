"""Bundled demo material: a synthetic post generator and the demo's topics."""
