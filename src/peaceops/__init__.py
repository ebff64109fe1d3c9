"""peaceops: an auto-graded Jupyter course on leading UN peace operations."""

__version__ = "0.1.0"
