"""The learners' launches, as the hub keeps them (each user's auth_state), read through the
hub's REST API with a token holding the `admin:auth_state` and `list:users` scopes (the
course's instructor role has them: deploy/jupyterhub_config.py)."""

from __future__ import annotations

import os

from .passback import Launch, launch_of

TOKEN_VARIABLES = ("PEACEOPS_HUB_TOKEN", "JUPYTERHUB_API_TOKEN")
PAGE = 200


def api_url(hub_url: str) -> str:
    """`https://hub.example.org` or its `/hub/api` -> the API's address."""
    url = hub_url.rstrip("/")
    return url if url.endswith("/hub/api") else f"{url}/hub/api"


def hub_token() -> str:
    for name in TOKEN_VARIABLES:
        if value := os.environ.get(name, "").strip():
            return value
    raise ValueError("no hub token: set $PEACEOPS_HUB_TOKEN to a token of an instructor "
                     "(the hub's Token page, with the scopes admin:auth_state and list:users)")


def launches(hub_url: str, token: str, learners: set[str] | None = None
             ) -> dict[str, Launch | str]:
    """Each hub user's Launch (or why there is none), for `learners` or every user."""
    import requests

    api = api_url(hub_url)
    session = requests.Session()
    session.headers["Authorization"] = f"token {token}"

    def get(path: str, **params) -> object:
        try:
            reply = session.get(f"{api}{path}", params=params, timeout=60)
        except requests.RequestException as exc:
            raise ValueError(f"cannot reach the hub at {api} ({exc})") from exc
        if reply.status_code in (401, 403):
            raise ValueError(f"the hub at {api} refused the token (HTTP {reply.status_code}): "
                             "it needs the scopes admin:auth_state and list:users")
        reply.raise_for_status()
        return reply.json()

    names: list[str] = []
    while True:
        page = get("/users", offset=len(names), limit=PAGE)
        items = page.get("items", []) if isinstance(page, dict) else page
        names += [u["name"] for u in items]
        if len(items) < PAGE:
            break
    found: dict[str, Launch | str] = {}
    for name in names:
        if learners is not None and name not in learners:
            continue
        model = get(f"/users/{name}")
        if "auth_state" not in model:
            raise ValueError(f"the hub at {api} returned no auth_state: the token lacks the "
                             "admin:auth_state scope")
        found[name] = launch_of(name, model.get("auth_state"))
    return found


__all__ = ["api_url", "hub_token", "launches"]
