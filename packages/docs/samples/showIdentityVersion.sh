# IAM_ENDPOINT: https://iam.eu-de.otc.t-systems.com (the mock: http://127.0.0.1:4010/identity)
# No token needed: keystoneauth reads this before it asks for a token.
curl -sS --fail-with-body -w '\n' "$IAM_ENDPOINT/v3"
