"""JupyterHub for the peaceops course: one hub, an instructors' group, a server per learner
with the course's kernel, nbgrader's exchange for release, submission and feedback.

As committed it runs on one machine, as the hub tests start it (`tests/hub`): JupyterHub's
dummy authenticator (any password given in $PEACEOPS_HUB_PASSWORD) and a local process per
learner under one Unix user (`SimpleLocalProcessSpawner`). A production hub keeps everything
else and swaps in (see the README, "Running a cohort on JupyterHub"):

- an institutional authenticator instead of `dummy` (OAuthenticator for the campus SSO,
  LDAP), or launches from the LMS: set PEACEOPS_LTI_CONFIG to the course's lti.yaml (LTI
  1.3, below), and a real cookie secret and proxy token;
- KubeSpawner (Zero to JupyterHub: `deploy/z2jh-values.yaml`) or `LocalProcessSpawner`
  with one Unix user per learner, instead of `simple`;
- PostgreSQL for the hub's own database too ($PEACEOPS_HUB_DB_URL).

Settings come from the environment, so the tests and a real hub share this one file:
PEACEOPS_HUB_STATE (the hub's own files), PEACEOPS_HUB_URL, PEACEOPS_HUB_API_PORT,
PEACEOPS_HUB_HOMES (learners' home folders), PEACEOPS_INSTRUCTORS (comma-separated),
PEACEOPS_HUB_ADMIN_TOKEN (a service token for scripted administration, optional),
PEACEOPS_EXCHANGE (nbgrader's exchange folder, shared by every server),
PEACEOPS_LTI_CONFIG (lti.yaml: learners arrive from Moodle or Canvas; needs
JUPYTERHUB_CRYPT_KEY, which encrypts the launches kept for grade passback).

JupyterHub 6 (the `hub` extra; tests/hub run on 6.1). Upgrading a hub from 5: its database
schema changes, so back up the hub's database and run `jupyterhub upgrade-db -f
deploy/jupyterhub_config.py` before starting it; the hub and every server's
`jupyterhub-singleuser` should be the same major version. The rest of JupyterHub 6's
breaking changes do not touch this configuration: it uses no named servers (now restricted
to lowercase names), passes no spawn options (now `opt-`-prefixed), no statsd metrics
(removed) and no pycurl (the hub's internal requests now use aiohttp).
"""

import hashlib
import os
import sys
from pathlib import Path
from urllib.parse import urlparse

c = get_config()  # noqa: F821 (provided by JupyterHub)

HERE = Path(__file__).resolve().parent
STATE = Path(os.environ.get("PEACEOPS_HUB_STATE", "/srv/jupyterhub"))
INSTRUCTORS = sorted(filter(None, os.environ.get("PEACEOPS_INSTRUCTORS", "").split(",")))
COURSE = "peaceops"

# -- the hub, its proxy and its own database ----------------------------------------------
c.JupyterHub.bind_url = os.environ.get("PEACEOPS_HUB_URL", "http://127.0.0.1:8000")
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{os.environ.get('PEACEOPS_HUB_API_PORT', '8081')}"
c.JupyterHub.db_url = os.environ.get("PEACEOPS_HUB_DB_URL", f"sqlite:///{STATE}/jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.ConfigurableHTTPProxy.api_url = (
    f"http://127.0.0.1:{os.environ.get('PEACEOPS_PROXY_API_PORT', '8001')}")
# configurable-http-proxy from the repository's package-lock.json (`npm ci`), else the PATH
_chp = HERE.parent / "node_modules" / ".bin" / "configurable-http-proxy"
if _chp.exists():
    c.ConfigurableHTTPProxy.command = [str(_chp)]
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every learner's server

# -- who may log in, who teaches ----------------------------------------------------------
c.JupyterHub.authenticator_class = "dummy"  # production: an institutional authenticator
if password := os.environ.get("PEACEOPS_HUB_PASSWORD"):
    c.DummyAuthenticator.password = password
c.Authenticator.allow_all = True  # production: the LMS roster, or allowed_users / groups
if lti_config := os.environ.get("PEACEOPS_LTI_CONFIG"):
    # Launches from the LMS (README, "Launching from Moodle or Canvas"): anyone the LMS
    # launches into the course may log in, under their learner id; each launch's claims
    # (the LMS's user id, the gradebook's address) are kept, encrypted, for passback.
    from peaceops.lti.authenticator import LearnerLTI13Authenticator
    from peaceops.lti.config import load_platform

    if not os.environ.get("JUPYTERHUB_CRYPT_KEY"):
        sys.exit("PEACEOPS_LTI_CONFIG is set but JUPYTERHUB_CRYPT_KEY is not: the launches "
                 "kept for grade passback are encrypted with it (openssl rand -hex 32)")
    c.JupyterHub.authenticator_class = LearnerLTI13Authenticator
    for _name, _value in LearnerLTI13Authenticator.settings(load_platform(lti_config)).items():
        setattr(c.LearnerLTI13Authenticator, _name, _value)
    c.Authenticator.enable_auth_state = True
    if urlparse(c.JupyterHub.bind_url).hostname not in ("127.0.0.1", "localhost"):
        # The LMS posts the launch from its own site, so the launch's state cookies must
        # cross sites: SameSite=None, which browsers accept only with Secure (HTTPS, here
        # or at a TLS proxy in front). Only a loopback hub (the tests) goes without.
        c.JupyterHub.tornado_settings = {"cookie_options": {"samesite": "None", "secure": True}}
c.Authenticator.admin_users = set(INSTRUCTORS)
# nbgrader's conventions for a hub: formgrade-<course> teaches, nbgrader-<course> learns.
c.JupyterHub.load_groups = {
    f"formgrade-{COURSE}": {"users": INSTRUCTORS},
    f"nbgrader-{COURSE}": {"users": []},
}
c.JupyterHub.load_roles = [{
    "name": "instructor",  # sees and helps the learners' servers, manages the cohort
    "groups": [f"formgrade-{COURSE}"],
    "scopes": ["admin:users", "admin:servers", "admin:groups", "admin:auth_state",
               f"access:servers!group=nbgrader-{COURSE}"],
}]
if token := os.environ.get("PEACEOPS_HUB_ADMIN_TOKEN"):  # scripted administration (tests)
    c.JupyterHub.services = [{"name": "cohort-admin", "api_token": token}]
    c.JupyterHub.load_roles.append({
        "name": "cohort-admin",
        "services": ["cohort-admin"],
        "scopes": ["admin:users", "admin:servers", "admin:groups", "tokens", "access:servers",
                   "list:users", "read:users", "admin:auth_state"],
    })

# -- every user's server: JupyterLab with the course's kernel and nbgrader --------------------
c.JupyterHub.spawner_class = "simple"  # production: KubeSpawner (deploy/z2jh-values.yaml)
c.SimpleLocalProcessSpawner.home_dir_template = os.environ.get(
    "PEACEOPS_HUB_HOMES", "/tmp/peaceops-homes") + "/{username}"
# The course's environment (peaceops, nbgrader, ipywidgets installed): its python3 kernel
# is the course's kernel.
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
# Kernels speak to their server over Unix sockets (IPC), not TCP ports. Every server on one
# machine picks its kernels' "free" TCP ports on its own, so two servers starting kernels at
# once can pick the same port; that kernel then dies with "Address already in use", and
# jupyter_client's restarts keep the same ports (jupyter-server/kernel_gateway#131): 1-2 of
# 30 learners lost their exam's kernel in benchmarks/hub_load.py. A socket's path must stay
# under 108 bytes, hence a short runtime folder per learner (pre_spawn_hook). On Kubernetes
# each pod has its own ports, and IPC works there too.
c.Spawner.args = ["--KernelManager.transport=ipc"]
KERNEL_SOCKETS = Path("/tmp") / f"peaceops-kernels-{os.getuid()}"
if os.geteuid() == 0:  # the one-machine test runs as root; real servers never do
    c.Spawner.args.append("--allow-root")
c.Spawner.environment = {
    # deploy/nbgrader_config.py: course id and exchange (production: /etc/jupyter)
    "JUPYTER_CONFIG_PATH": str(HERE),
    "PEACEOPS_EXCHANGE": os.environ.get("PEACEOPS_EXCHANGE", "/srv/nbgrader/exchange"),
    # every server runs as one Unix user (`simple`): file owners cannot tell who submitted
    # (deploy/nbgrader_config.py); remove this with one Unix user per learner
    "PEACEOPS_SHARED_UNIX_USER": "1",
}  # PATH, PYTHONPATH, LANG are kept from the hub's environment (Spawner.env_keep)


def pre_spawn_hook(spawner):
    """Learners' servers submit under their hub name; instructors' servers are not
    learners. Every learner is in the nbgrader-<course> group: one the hub did not create
    from a roster (an LMS launch, a first login) joins it when their server first starts,
    so that the instructor role reaches their server."""
    user = spawner.user
    # connection files and kernel sockets (IPC, above); a hash keeps the path short for
    # long user names (an LMS's learner ids)
    runtime = KERNEL_SOCKETS / hashlib.sha256(user.name.encode()).hexdigest()[:16]
    KERNEL_SOCKETS.mkdir(mode=0o700, exist_ok=True)
    runtime.mkdir(mode=0o700, exist_ok=True)
    spawner.environment = {**spawner.environment, "JUPYTER_RUNTIME_DIR": str(runtime)}
    groups = {g.name for g in user.groups}
    if f"formgrade-{COURSE}" not in groups:
        spawner.environment = {**spawner.environment, "PEACEOPS_STUDENT_ID": user.name}
        if f"nbgrader-{COURSE}" not in groups:
            from jupyterhub import orm

            learners = orm.Group.find(user.db, f"nbgrader-{COURSE}")
            if learners is not None:
                user.orm_user.groups.append(learners)
                user.db.commit()
    Path(spawner.home_dir).mkdir(parents=True, exist_ok=True)


c.Spawner.pre_spawn_hook = pre_spawn_hook
