# Deprecated: use /v2.1. /v2 has no microversions
# and always answers with Location.
curl -sS --fail-with-body -i -X POST "$ECS_ENDPOINT/v2/$OS_PROJECT_ID/servers/$SERVER_ID/action" \
  -H "X-Auth-Token: $OS_AUTH_TOKEN" \
  -H "Content-Type: application/json" \
  -d '{"createImage": {"name": "foo-image", "metadata": {"meta_var": "meta_val"}}}' | grep -i '^location:'
