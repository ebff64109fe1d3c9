"""One course directory: its folders and gradebook are nbgrader's, read from nbgrader's
configuration once; nbgrader's own plugins pass the configuration nbgrader read."""

from traitlets.config import Config

from peaceops.content import CourseDir
from tests.conftest import ROOT

RENAMED = '''c = get_config()
c.CourseDirectory.source_directory = "nb-source"
c.CourseDirectory.release_directory = "rel"
c.CourseDirectory.submitted_directory = "in"
c.CourseDirectory.db_url = "sqlite:////elsewhere/gradebook.db"
'''


def test_this_course_s_folders_come_from_its_nbgrader_config():
    course = CourseDir.resolve(ROOT)
    assert (course.source, course.release) == (ROOT / "solutions", ROOT / "exercises")
    assert course.submission("amina", "mlt-roles") == ROOT / "submitted" / "amina" / "mlt-roles"
    assert {p.parent for p in course.key_files().values()} == {ROOT / "solutions" / "keys"}


def test_renamed_folders_and_gradebook_are_followed(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text(RENAMED)
    course = CourseDir.resolve(tmp_path)
    assert course.source == tmp_path / "nb-source"
    assert course.release_notebook("a1") == tmp_path / "rel" / "a1" / "a1.ipynb"
    assert course.graded("s", "a1") == tmp_path / "autograded" / "s" / "a1"  # nbgrader's default
    assert course.submission("s", "a1") == tmp_path / "in" / "s" / "a1"
    assert {p.parent for p in course.key_files().values()} == {tmp_path / "nb-source" / "keys"}
    assert course.gradebook_url == "sqlite:////elsewhere/gradebook.db"
    assert CourseDir.resolve(tmp_path, db_url="sqlite:////x.db").gradebook_url == "sqlite:////x.db"


def test_without_a_configuration_the_folders_are_nbgrader_s_defaults(tmp_path):
    course = CourseDir.resolve(tmp_path)
    assert (course.source.name, course.release.name, course.feedback.name) == (
        "source", "release", "feedback")
    assert course.gradebook_url == f"sqlite:///{tmp_path / 'gradebook.db'}"


def test_the_configuration_is_read_once(tmp_path):
    log = tmp_path / "reads.txt"
    (tmp_path / "nbgrader_config.py").write_text(
        f"open({str(log)!r}, 'a').write('read\\n')\n" + RENAMED)
    course = CourseDir.resolve(tmp_path)
    assert course.release.name == "rel" and course.source.name == "nb-source"
    assert CourseDir.resolve(tmp_path).gradebook_url.endswith("/elsewhere/gradebook.db")
    assert log.read_text() == "read\n"


def test_a_configuration_given_is_used_and_the_files_are_not_read(tmp_path):
    """nbgrader's plugins (autograde) pass the configuration nbgrader read: the course's
    nbgrader_config.py, whose autograde branch holds the grading lock, never runs twice."""
    (tmp_path / "nbgrader_config.py").write_text("raise SystemExit('read again')\n")
    given = Config()
    given.CourseDirectory.release_directory = "exercises"
    course = CourseDir.resolve(tmp_path, config=given)
    assert course.release == tmp_path / "exercises" and course.source == tmp_path / "source"
    assert course == CourseDir.resolve(tmp_path)  # the configuration is not its identity
