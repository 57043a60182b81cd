# IMS_ENDPOINT: https://ims.eu-de.otc.t-systems.com (the mock: http://127.0.0.1:4010/image)
# OS_AUTH_TOKEN. Follow "next" (relative to IMS_ENDPOINT) for the following page.
curl -sS --fail-with-body -w '\n' -G "$IMS_ENDPOINT/v2/images" \
  --data-urlencode 'name=foo-image' --data-urlencode 'limit=25' \
  -H "X-Auth-Token: $OS_AUTH_TOKEN" \
  -H "Accept: application/json"
