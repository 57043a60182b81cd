# IMS_ENDPOINT: https://ims.eu-de.otc.t-systems.com (the mock: http://127.0.0.1:4010/image)
# No token needed.
curl -sS --fail-with-body -w '\n' "$IMS_ENDPOINT/versions"
