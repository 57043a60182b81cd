# IMS_ENDPOINT: https://ims.eu-de.otc.t-systems.com (the mock: http://127.0.0.1:4010/image)
# OS_AUTH_TOKEN, IMAGE_ID (from createImage)
# Poll until "status" is "active" (every 5 s, like nova --poll); a 404 meanwhile means the
# snapshot failed (Nova deletes the image).
curl -sS --fail-with-body -w '\n' "$IMS_ENDPOINT/v2/images/$IMAGE_ID" \
  -H "X-Auth-Token: $OS_AUTH_TOKEN" \
  -H "Accept: application/json"
