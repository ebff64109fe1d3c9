"""Course content as data: load and validate everything in a course's data/ folder.

Exercise kinds plug in through `content.kinds` (importing `peaceops.exercises` registers
the built-in ones); this layer imports nothing above it."""

from .certification import Certification, PassRule
from .course import EXAM_BANK, LESSON_BANK, Assignment, Course, Entry, Keys, Spec
from .course_dir import CourseDir
from .errors import ContentError, ContentIssue, Say
from .kinds import REGISTRY, ContentKind
from .loader import data_dir, load_certification, load_course, load_keys
from .schema import LEVELS, PRINCIPLES, WEIGHTS

__all__ = [
    "EXAM_BANK",
    "LESSON_BANK",
    "LEVELS",
    "PRINCIPLES",
    "REGISTRY",
    "WEIGHTS",
    "Assignment",
    "Certification",
    "ContentError",
    "ContentIssue",
    "ContentKind",
    "Course",
    "CourseDir",
    "Entry",
    "Keys",
    "PassRule",
    "Say",
    "Spec",
    "data_dir",
    "load_certification",
    "load_course",
    "load_keys",
]
