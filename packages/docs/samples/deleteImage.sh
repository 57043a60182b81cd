# IMS_ENDPOINT: https://ims.eu-de.otc.t-systems.com (the mock: http://127.0.0.1:4010/image)
# OS_AUTH_TOKEN, IMAGE_ID. 204 and no body; deleting the server does not delete its images.
curl -sS --fail-with-body -o /dev/null -w '%{http_code}\n' -X DELETE "$IMS_ENDPOINT/v2/images/$IMAGE_ID" \
  -H "X-Auth-Token: $OS_AUTH_TOKEN"
