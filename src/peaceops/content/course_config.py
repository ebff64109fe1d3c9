"""nbgrader's configuration of a course, read once: the one reader of nbgrader_config.py.

nbgrader's `CourseDirectory` names the course's folders and its gradebook; peaceops reads the
same settings (without importing nbgrader, which costs seconds), so both agree on where the
source, the release, the submissions and the gradebook are."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from traitlets.config import Config

#: nbgrader's `CourseDirectory` folders and their defaults (nbgrader/coursedir.py), used
#: where the configuration does not set them. This course's nbgrader_config.py sets
#: `source_directory = "solutions"` and `release_directory = "exercises"`.
FOLDERS = {"source": "source", "release": "release", "submitted": "submitted",
           "autograded": "autograded", "feedback": "feedback"}


@functools.cache
def course_config(root: Path) -> Config:
    """The nbgrader configuration of course `root`, as nbgrader reads it: the
    nbgrader_config.py files of the Jupyter config path (system, environment, user), then the
    course's own, which wins. Read once per course and process."""
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import PyFileConfigLoader

    config = Config()
    for folder in [*reversed(jupyter_config_path()), str(root)]:
        if os.path.isfile(os.path.join(folder, "nbgrader_config.py")):
            config.merge(PyFileConfigLoader("nbgrader_config.py", folder).load_config())
    return config


def folder_name(config: Config, folder: str) -> str:
    """The name of one of nbgrader's course folders (a key of `FOLDERS`) in `config`."""
    directory = config.CourseDirectory if "CourseDirectory" in config else {}
    return directory.get(f"{folder}_directory") or FOLDERS[folder]


def configured_db_url(config: Config) -> str:
    """`c.CourseDirectory.db_url` of `config` ("" if unset). A hub sets the PostgreSQL
    gradebook there once, for nbgrader and peaceops alike."""
    directory = config.CourseDirectory if "CourseDirectory" in config else {}
    return directory.get("db_url") or ""
