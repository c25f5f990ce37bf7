"""newsargs: actors, claims and causal links from news commentary."""

__version__ = "0.1.0"
