# pip install python-novaclient keystoneauth1
# Deprecated: use /v2.1. /v2 has no microversions.
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
nova = client.Client(
    "2.0",
    session=session.Session(auth=auth),
    endpoint_override=f"{os.environ['ECS_ENDPOINT']}/v2/{os.environ['OS_PROJECT_ID']}",
)
image_id = nova.servers.create_image(os.environ["SERVER_ID"], "foo-image")
print(image_id)
