# No token needed. openstacksdk asks for this form
# during version discovery.
curl -sS --fail-with-body -w '\n' "$ECS_ENDPOINT/v2.1"
