# IAM_ENDPOINT: https://iam.eu-de.otc.t-systems.com (the mock: http://127.0.0.1:4010/identity)
# OS_USERNAME, OS_PASSWORD, OS_DOMAIN_NAME (the account), OS_PROJECT_NAME (e.g. eu-de)
# The token is the X-Subject-Token header (a secret: do not log it); the body has
# expires_at and the catalog (compute, image and identity endpoints).
curl -sS --fail-with-body -D - -o /dev/null -X POST "$IAM_ENDPOINT/v3/auth/tokens" \
  -H "Content-Type: application/json" \
  -d '{"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "'"$OS_USERNAME"'", "password": "'"$OS_PASSWORD"'", "domain": {"name": "'"$OS_DOMAIN_NAME"'"}}}}, "scope": {"project": {"name": "'"$OS_PROJECT_NAME"'"}}}}' \
  | grep -i '^x-subject-token:'
