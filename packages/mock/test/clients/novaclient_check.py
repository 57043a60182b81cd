#!/usr/bin/env python3
"""Real OpenStack clients against a running mock: python-novaclient at 2.1, 2.45 and 2.latest,
on /v2.1 and /v2, its errors, and openstacksdk's Server.create_image with version discovery.

Usage: python3 novaclient_check.py http://127.0.0.1:4010
Needs python3-novaclient and python3-openstacksdk (Debian packages). Exit code 1 if a check fails.
"""
import re
import sys
import uuid

from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint
from novaclient import client as nova_client
from novaclient import exceptions as nova_exc

BASE = sys.argv[1].rstrip("/")
PROJECT = "9c53a566cb3443ab910cf0daebca90c4"
ACTIVE = "7d5e4a45-2d1b-4c3e-8a43-9f0a1a8b6e21"
ERROR_SERVER = "00000000-0000-0000-0000-000000000409"
MISSING = "00000000-0000-0000-0000-000000000404"
failures = []


def check(name, fn):
    try:
        detail = fn()
        print(f"PASS {name}{': ' + str(detail) if detail else ''}")
    except Exception as e:  # noqa: BLE001 - report every failure, keep going
        failures.append(name)
        print(f"FAIL {name}: {type(e).__name__}: {e}")


def nova(version, path="v2.1"):
    auth = token_endpoint.Token(f"{BASE}/{path}/{PROJECT}", "mock-token")
    return nova_client.Client(version, session=ks_session.Session(auth=auth))


def is_uuid(value):
    uuid.UUID(value)
    return value


def image_via(version, path="v2.1"):
    image_id = nova(version, path).servers.create_image(ACTIVE, "novaclient-image", metadata={"k": "v"})
    return is_uuid(image_id)


check("novaclient 2.1 reads the image ID from Location", lambda: image_via("2.1"))
check("novaclient 2.44 reads the image ID from Location", lambda: image_via("2.44"))
check("novaclient 2.45 reads image_id from the body", lambda: image_via("2.45"))
check("novaclient 2 on the legacy /v2 endpoint", lambda: image_via("2", "v2"))


def latest():
    # What `nova --os-compute-api-version 2.latest` does: read the version document, take the
    # highest version both sides support.
    from novaclient import api_versions

    version = api_versions.discover_version(nova("2.1"), api_versions.APIVersion("2.latest"))
    image_id = nova(version.get_string()).servers.create_image(ACTIVE, "latest-image")
    return f"negotiated {version.get_string()}, image {is_uuid(image_id)}"


check("novaclient 2.latest negotiates from the version document", latest)


def expect_error(exc_type, pattern, fn):
    def run():
        try:
            fn()
        except exc_type as e:
            if not re.search(pattern, str(e)):
                raise AssertionError(f"unexpected message: {e}") from e
            return f"{e.code} {e.message}"
        raise AssertionError("no error raised")

    return run


check(
    "novaclient gets Conflict for the server in ERROR",
    expect_error(nova_exc.Conflict, "vm_state error", lambda: nova("2.45").servers.create_image(ERROR_SERVER, "x")),
)
check(
    "novaclient gets NotFound for the missing server",
    expect_error(nova_exc.NotFound, "could not be found", lambda: nova("2.1").servers.create_image(MISSING, "x")),
)
check(
    "novaclient gets BadRequest for a name with a leading space",
    expect_error(nova_exc.BadRequest, "invalid 'name'", lambda: nova("2.1").servers.create_image(ACTIVE, " bad")),
)


def sdk():
    import openstack.connection
    from openstack.compute.v2 import server as sdk_server

    sess = ks_session.Session(auth=token_endpoint.Token(f"{BASE}/v2.1/{PROJECT}", "mock-token"))
    conn = openstack.connection.Connection(session=sess, compute_endpoint_override=f"{BASE}/v2.1/{PROJECT}")
    server = sdk_server.Server(id=ACTIVE)
    image_id = server.create_image(conn.compute, "sdk-image", {"k": "v"})
    return is_uuid(image_id)


check("openstacksdk Server.create_image (discovers 2.45, reads image_id)", sdk)

print(f"\n{len(failures)} failed" if failures else "\nall passed")
sys.exit(1 if failures else 0)
