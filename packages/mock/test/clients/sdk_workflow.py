"""openstacksdk against the mock, unchanged: password auth through a clouds.yaml entry, then
create_image_snapshot(wait=True) or compute.create_server_image(wait=True). Prints the image ID and
its status. Usage: sdk_workflow.py <cloud name> <snapshot|server-image> <server id> <image name>"""
import sys

import openstack

cloud, mode, server_id, name = sys.argv[1:5]
conn = openstack.connect(cloud=cloud)
server = conn.compute.get_server(server_id)
if mode == "snapshot":
    image = conn.create_image_snapshot(name, server, wait=True, timeout=60)
else:
    image = conn.compute.create_server_image(server, name, wait=True, timeout=60)
    image = conn.image.get_image(image)
print(image.id, image.status)
