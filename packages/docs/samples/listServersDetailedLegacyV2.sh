# ECS_ENDPOINT: https://ecs.eu-de.otc.t-systems.com
# OS_PROJECT_ID, OS_AUTH_TOKEN (an IAM token)
curl -sS --fail-with-body -w '\n' -G "$ECS_ENDPOINT/v2/$OS_PROJECT_ID/servers/detail" --data-urlencode 'name=web' \
  -H "X-Auth-Token: $OS_AUTH_TOKEN"
