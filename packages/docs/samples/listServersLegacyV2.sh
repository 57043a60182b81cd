# ECS_ENDPOINT: https://ecs.eu-de.otc.t-systems.com
# OS_PROJECT_ID, OS_AUTH_TOKEN (an IAM token)
# name is a regular expression in Nova: ^web-01$ finds exactly that name.
curl -sS --fail-with-body -w '\n' -G "$ECS_ENDPOINT/v2/$OS_PROJECT_ID/servers" --data-urlencode 'name=^web-01$' \
  -H "X-Auth-Token: $OS_AUTH_TOKEN"
