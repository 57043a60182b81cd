# No token needed. "version" is the maximum
# microversion, "min_version" the minimum.
curl -sS --fail-with-body -w '\n' "$ECS_ENDPOINT/v2.1/"
