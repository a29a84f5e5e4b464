"""trustlens: a school-improvement platform for English multi-academy trusts."""

__version__ = "0.1.0"
