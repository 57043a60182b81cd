# pip install python-novaclient keystoneauth1
import os

from keystoneauth1 import loading, session
from novaclient import client

auth = loading.get_plugin_loader("password").load_from_options(
    auth_url=os.environ["OS_AUTH_URL"],
    username=os.environ["OS_USERNAME"],
    password=os.environ["OS_PASSWORD"],
    user_domain_name=os.environ["OS_USER_DOMAIN_NAME"],
    project_id=os.environ["OS_PROJECT_ID"],
)
nova = client.Client("2.1", session=session.Session(auth=auth))
for version in nova.versions.list():
    print(version.id, version.status, version.min_version, version.version)
