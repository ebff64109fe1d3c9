"""nbgrader configuration for every server of the course's hub (install it as
/etc/jupyter/nbgrader_config.py, or put its folder on JUPYTER_CONFIG_PATH).

Learners and instructors read it alike, so it holds nothing secret: the course id, the
shared exchange and where fetched assignments go. The gradebook's URL is the instructor's
business: it is set in the course directory's own nbgrader_config.py (from
$PEACEOPS_GRADEBOOK_URL), never here.
"""

import os

c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.course_id = "peaceops"
# The exchange: a folder every server mounts (a shared volume on Kubernetes), where
# `nbgrader release_assignment` puts the release and learners' submissions land.
c.Exchange.root = os.environ.get("PEACEOPS_EXCHANGE", "/srv/nbgrader/exchange")
c.Exchange.path_includes_course = True  # fetched into ~/peaceops/<assignment>/

# Who submitted: the exchange's inbound folder is shared, and a submission is named after
# whatever `--student` the submitter passed. With a Unix user per learner (LocalProcessSpawner,
# user name = learner id) the folder's owner is its author, and collect refuses a submission
# owned by someone else (peaceops.grading.exchange; `owner_ids` maps user names that differ).
# Where every server runs as one Unix user (the test hub's SimpleLocalProcessSpawner; `jovyan`
# on Kubernetes), set PEACEOPS_SHARED_UNIX_USER=1: the owner then proves nothing and this
# exchange cannot tell who submitted (production there: ngshare or a hub-authenticated one).
c.ExchangeFactory.collect = "peaceops.grading.exchange.OwnerCheckedCollect"
# The exam's server clock: fetches leave a record of their time in the exchange
# (peaceops.grading.session), which the release prepares.
c.ExchangeFactory.release_assignment = "peaceops.grading.exchange.RecordedRelease"
c.ExchangeFactory.fetch_assignment = "peaceops.grading.exchange.RecordedFetch"
c.ExchangeFactory.fetch_feedback = "peaceops.grading.exchange.RecordedFetchFeedback"
c.ExchangeCollect.check_owner = os.environ.get("PEACEOPS_SHARED_UNIX_USER") != "1"

# nbgrader names a submission after the server's Unix user. On Kubernetes every learner's
# pod runs as "jovyan" and nbgrader then uses $JUPYTERHUB_USER by itself; with the shared
# Unix user of a local-process spawner (the test hub), the hub passes the learner's name.
if student := os.environ.get("PEACEOPS_STUDENT_ID"):
    c.CourseDirectory.student_id = student
