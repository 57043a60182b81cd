# ECS_ENDPOINT: https://ecs.eu-de.otc.t-systems.com
# OS_PROJECT_ID, OS_AUTH_TOKEN (an IAM token), SERVER_ID
# During a snapshot "status" stays ACTIVE; OS-EXT-STS:task_state shows the progress.
curl -sS --fail-with-body -w '\n' "$ECS_ENDPOINT/v2/$OS_PROJECT_ID/servers/$SERVER_ID" \
  -H "X-Auth-Token: $OS_AUTH_TOKEN"
