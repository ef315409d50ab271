#!/usr/bin/env bash
# Announces an image the CI pushed to Shipline: the signed "image published" call to the webhook
# URL, as `shipline publish` makes it. Needs bash, curl and openssl (every hosted runner has them).
#
#   SHIPLINE_WEBHOOK_URL=https://…lambda-url…/ SHIPLINE_WEBHOOK_SECRET=… \
#     ./shipline-announce.sh ghcr.io/acme/shop-api:1.4.2-0123abc sha256:…
#
# The signature is HMAC-SHA256, under the webhook secret, of "<timestamp>.<body>", sent as
# X-Shipline-Signature-256: sha256=<hex>. SHIPLINE_DELIVERY (default: a fresh id) names the
# announcement; send the same id when retrying. Exit codes: 0 announced, 1 the webhook or the
# registry could not be reached (retry), 2 refused (the webhook says why).
set -euo pipefail

image="${1:?usage: shipline-announce.sh <image-ref> [<digest>]}"
digest="${2:-}"
: "${SHIPLINE_WEBHOOK_URL:?set SHIPLINE_WEBHOOK_URL to the WebhookUrl output of the stack}"
: "${SHIPLINE_WEBHOOK_SECRET:?set SHIPLINE_WEBHOOK_SECRET to the webhook secret (Secrets Manager)}"
delivery="${SHIPLINE_DELIVERY:-ci-$(date +%s)-$RANDOM$RANDOM}"

if ! [[ "$image" =~ ^[A-Za-z0-9._:/@-]+$ ]]; then
  echo "not an image reference: $image" >&2
  exit 2
fi
if [ -n "$digest" ]; then
  if ! [[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]]; then
    echo "not a digest: $digest (expected sha256:<64 hex>)" >&2
    exit 2
  fi
  body="{\"image\":\"$image\",\"digest\":\"$digest\"}"
else
  body="{\"image\":\"$image\"}"
fi

timestamp="$(date +%s)"
signature="$(printf '%s.%s' "$timestamp" "$body" |
  openssl dgst -sha256 -hmac "$SHIPLINE_WEBHOOK_SECRET" -r | cut -d' ' -f1)"

answer="$(mktemp)"
trap 'rm -f "$answer"' EXIT
headers=(
  -H "Content-Type: application/json"
  -H "X-Shipline-Event: image-published"
  -H "X-Shipline-Delivery: $delivery"
  -H "X-Shipline-Timestamp: $timestamp"
  -H "X-Shipline-Signature-256: sha256=$signature"
)
if ! status="$(curl -sS -o "$answer" -w "%{http_code}" --max-time 30 -X POST "${headers[@]}" \
  --data-binary "$body" "$SHIPLINE_WEBHOOK_URL")"; then
  echo "cannot reach $SHIPLINE_WEBHOOK_URL" >&2
  exit 1
fi

if [ "$status" = "202" ]; then
  cat "$answer"; echo
  exit 0
fi
echo "Shipline answered $status: $(cat "$answer")" >&2
if [ "$status" -ge 500 ]; then exit 1; fi
exit 2
