"""The two-replica deployment (deploy/compose.yaml, deploy/nginx.conf) says what the code does:
it cannot run here (no Docker engine), so its pieces are checked against the settings and
each other."""

from pathlib import Path
import re

import yaml

from service.settings import Settings

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
COMPOSE = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
NGINX = (DEPLOY / "nginx.conf").read_text()
SETTINGS = {f"FOOTNOTED_{name.upper()}" for name in Settings.model_fields}


def test_two_replicas_share_postgresql_and_redis():
    services = COMPOSE["services"]
    apps = [name for name, service in services.items() if "build" in service]
    assert len(apps) == 2
    for name in apps:
        env = services[name]["environment"]
        assert set(env) <= SETTINGS, set(env) - SETTINGS
        assert (
            env["FOOTNOTED_DB"].startswith("postgresql://") and "@postgres:" in env["FOOTNOTED_DB"]
        )
        assert env["FOOTNOTED_REDIS_URL"].startswith("redis://redis:")
        assert "/readyz" in " ".join(services[name]["healthcheck"]["test"])
    assert {"postgres", "redis", "proxy"} <= set(services)


def test_the_proxy_balances_over_both_replicas():
    upstream = re.search(r"upstream footnoted \{(.*?)\}", NGINX, re.DOTALL).group(1)
    apps = [name for name, service in COMPOSE["services"].items() if "build" in service]
    assert sorted(re.findall(r"server (\S+):8000", upstream)) == sorted(apps)
    published = COMPOSE["services"]["proxy"]["ports"][0].split(":")[-1]
    assert f"listen {published};" in NGINX
    assert "proxy_buffering off;" in NGINX  # chat streams pass as they are written
