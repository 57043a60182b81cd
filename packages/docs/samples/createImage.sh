# ECS_ENDPOINT: https://ecs.eu-de.otc.t-systems.com
# OS_PROJECT_ID, OS_AUTH_TOKEN (an IAM token), SERVER_ID

# From 2.45 the body is {"image_id": "<uuid>"}.
curl -sS --fail-with-body -w '\n' -X POST "$ECS_ENDPOINT/v2.1/$OS_PROJECT_ID/servers/$SERVER_ID/action" \
  -H "X-Auth-Token: $OS_AUTH_TOKEN" \
  -H "Content-Type: application/json" \
  -H "OpenStack-API-Version: compute 2.45" \
  -d '{"createImage": {"name": "foo-image", "metadata": {"meta_var": "meta_val"}}}'

# Below 2.45 (and with no version header) the body is
# empty: the ID is the last path segment of Location.
curl -sS --fail-with-body -i -X POST "$ECS_ENDPOINT/v2.1/$OS_PROJECT_ID/servers/$SERVER_ID/action" \
  -H "X-Auth-Token: $OS_AUTH_TOKEN" \
  -H "Content-Type: application/json" \
  -H "OpenStack-API-Version: compute 2.1" \
  -d '{"createImage": {"name": "foo-image"}}' | grep -i '^location:'
