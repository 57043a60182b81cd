# pip install python-novaclient keystoneauth1
import os

from keystoneauth1 import loading, session
from novaclient import client

auth = loading.get_plugin_loader("password").load_from_options(
    # e.g. https://iam.eu-de.otc.t-systems.com/v3
    auth_url=os.environ["OS_AUTH_URL"],
    username=os.environ["OS_USERNAME"],
    password=os.environ["OS_PASSWORD"],
    user_domain_name=os.environ["OS_USER_DOMAIN_NAME"],
    project_id=os.environ["OS_PROJECT_ID"],
)
nova = client.Client("2.45", session=session.Session(auth=auth))

# novaclient reads "image_id" from the body from 2.45,
# and the end of Location below it.
image_id = nova.servers.create_image(os.environ["SERVER_ID"], "foo-image", metadata={"meta_var": "meta_val"})
print(image_id)
