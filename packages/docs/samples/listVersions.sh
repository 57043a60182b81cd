# No token needed.
curl -sS --fail-with-body -w '\n' "$ECS_ENDPOINT/"
