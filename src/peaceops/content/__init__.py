"""Course content as data: load and validate everything in data/."""

from .bank import Bank, Keys, load_keys
from .errors import ContentError, ContentIssue
from .loader import data_dir, load_course
from .model import Check, Course, Scenario
from .schema import PRINCIPLES, WEIGHTS

__all__ = [
    "Bank",
    "Keys",
    "load_keys",
    "PRINCIPLES",
    "WEIGHTS",
    "Check",
    "ContentError",
    "ContentIssue",
    "Course",
    "Scenario",
    "data_dir",
    "load_course",
]
