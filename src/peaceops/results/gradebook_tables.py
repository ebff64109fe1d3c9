"""The nbgrader gradebook read without importing nbgrader: the few tables and columns that
`results.tables.load_results` needs, as SQLAlchemy Core tables with nbgrader's names and types.

Importing `nbgrader.api` imports the whole nbgrader package (its server extensions, tornado,
Jupyter's server: 1-2 s), most of what `peaceops report` and `export` would spend starting.
The queries below are the SQL that nbgrader's ORM properties compile to
(`Grade.score`, `Assignment.max_score`, ...); tests/results/test_gradebook_tables.py checks
that they stay the same SQL, and the same numbers, as nbgrader's own.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    String,
    and_,
    case,
    column,
    func,
    literal_column,
    select,
    table,
)

student = table("student", column("id", String), column("first_name", String),
                column("last_name", String), column("email", String),
                column("lms_user_id", String))
assignment = table("assignment", column("id", String), column("name", String),
                   column("duedate", DateTime))
notebook = table("notebook", column("id", String), column("assignment_id", String))
base_cell = table("base_cell", column("id", String), column("notebook_id", String))
grade_cells = table("grade_cells", column("id", String), column("max_score", Float))
task_cells = table("task_cells", column("id", String), column("max_score", Float))
submitted_assignment = table("submitted_assignment", column("id", String),
                             column("assignment_id", String), column("student_id", String),
                             column("timestamp", DateTime))
submitted_notebook = table("submitted_notebook", column("id", String),
                           column("assignment_id", String), column("flagged", Boolean))
grade = table("grade", column("notebook_id", String), column("auto_score", Float),
              column("manual_score", Float), column("extra_credit", Float),
              column("needs_manual_grade", Boolean))

TABLES = (student, assignment, notebook, base_cell, grade_cells, task_cells,
          submitted_assignment, submitted_notebook, grade)


def grade_score():
    """nbgrader's `Grade.score`: the manual score if set, else the auto score, plus any extra
    credit; 0 when neither is set."""
    extra = case((grade.c.extra_credit.is_not(None), grade.c.extra_credit),
                 else_=literal_column("0.0"))
    return case((grade.c.manual_score.is_not(None), grade.c.manual_score + extra),
                (grade.c.auto_score.is_not(None), grade.c.auto_score + extra),
                else_=literal_column("0.0"))


def assignment_max_score():
    """nbgrader's `Assignment.max_score`: its notebooks' grade cells' and task cells' maxima."""
    def cells(kind):
        return (select(func.coalesce(func.sum(kind.c.max_score), 0.0))
                .select_from(base_cell.join(kind, base_cell.c.id == kind.c.id))
                .where(and_(notebook.c.assignment_id == assignment.c.id,
                            base_cell.c.notebook_id == notebook.c.id))
                .correlate_except(kind, base_cell, notebook)
                .scalar_subquery())

    return cells(grade_cells) + cells(task_cells)


def students_query():
    """The students, in the gradebook's order (`Gradebook.students`), ties by id."""
    return (select(student.c.id, student.c.first_name, student.c.last_name, student.c.email,
                   student.c.lms_user_id)
            .order_by(student.c.last_name, student.c.first_name, student.c.id))


def max_scores_query():
    """Each assignment's name and `Assignment.max_score`. A query of its own: joined to the
    submissions, its correlated sums were computed once per submission (SQLite), most of
    the time of reading a gradebook."""
    return select(assignment.c.name, assignment_max_score())


def submissions_query():
    """Every submission with its scores, in one query: what the gradebook's
    `SubmittedAssignment.score` (the sum of its grades' `Grade.score`),
    `.needs_manual_grade` and its notebooks' `flagged` say, aggregated by a join instead of
    per-row lazy loads (assignments in the gradebook's order, then by student). The
    maximum score comes from `max_scores_query`."""
    def any_of(column_):
        return func.coalesce(func.max(case((column_, 1), else_=0)), 0)

    return (
        select(submitted_assignment.c.student_id, assignment.c.name,
               func.coalesce(func.sum(grade_score()), 0.0),
               submitted_assignment.c.timestamp, any_of(grade.c.needs_manual_grade),
               any_of(submitted_notebook.c.flagged))
        .select_from(submitted_assignment)
        .join(assignment, assignment.c.id == submitted_assignment.c.assignment_id)
        .outerjoin(submitted_notebook,
                   submitted_notebook.c.assignment_id == submitted_assignment.c.id)
        .outerjoin(grade, grade.c.notebook_id == submitted_notebook.c.id)
        .group_by(submitted_assignment.c.id, submitted_assignment.c.student_id,
                  assignment.c.name, assignment.c.duedate, submitted_assignment.c.timestamp)
        .order_by(assignment.c.duedate, assignment.c.name, submitted_assignment.c.student_id)
    )


def read_gradebook(db_url: str) -> tuple[list[tuple], list[tuple]]:
    """(students, submissions) rows of the gradebook at `db_url` (see the queries above; a
    submission row is student, assignment, score, max_score, timestamp,
    needs_manual_grade, flagged); both empty when nbgrader has not created its tables
    yet."""
    from sqlalchemy import create_engine, inspect

    engine = create_engine(db_url)
    try:
        with engine.connect() as db:
            present = set(inspect(db).get_table_names())
            if not {t.name for t in TABLES} <= present:
                return [], []
            maxima = dict(db.execute(max_scores_query()).all())
            return (db.execute(students_query()).all(),
                    [(student, name, score, maxima[name], *rest)
                     for student, name, score, *rest in db.execute(submissions_query())])
    finally:
        engine.dispose()
