"""kompass: Kommunkompassen evaluations side by side."""

__version__ = "0.1.0"
