#!/usr/bin/env bash
# Announces an image the CI pushed to Shipline: the signed "image published" call to the webhook
# URL, as `shipline publish` makes it. Needs bash and curl, and node or openssl for the signature
# (every hosted runner has them).
#
#   SHIPLINE_WEBHOOK_URL=https://…lambda-url…/ SHIPLINE_PUBLISH_SECRET=… \
#     ./shipline-announce.sh ghcr.io/acme/shop-api:1.4.2-0123abc sha256:…
#
# SHIPLINE_PUBLISH_SECRET is the value of the stack's PublishSecretArn secret (not the git hosts'
# webhook secret). The signature is HMAC-SHA256, under it, of "<timestamp>.<body>", sent as
# X-Shipline-Signature-256: sha256=<hex>. SHIPLINE_DELIVERY (default: a fresh id; at most 128 of
# [A-Za-z0-9._:-]) names the announcement; send the same id when retrying. Exit codes: 0 announced,
# 1 the webhook or the registry could not be reached or throttled (retry), 2 refused (the webhook
# says why) or bad usage.
set -euo pipefail

usage() {
  echo "usage: shipline-announce.sh <image-ref> [<digest>] (with SHIPLINE_WEBHOOK_URL and SHIPLINE_PUBLISH_SECRET set): $1" >&2
  exit 2
}

[ "$#" -ge 1 ] && [ "$#" -le 2 ] || usage "give the image reference and, optionally, its digest"
image="$1"
digest="${2:-}"
[ -n "${SHIPLINE_WEBHOOK_URL:-}" ] || usage "set SHIPLINE_WEBHOOK_URL to the WebhookUrl output of the stack"
[ -n "${SHIPLINE_PUBLISH_SECRET:-}" ] || usage "set SHIPLINE_PUBLISH_SECRET to the value of the PublishSecretArn secret"
delivery="${SHIPLINE_DELIVERY:-ci-$(date +%s)-$RANDOM$RANDOM}"
[[ "$delivery" =~ ^[A-Za-z0-9._:-]{1,128}$ ]] || usage "SHIPLINE_DELIVERY '$delivery' is not 1 to 128 of [A-Za-z0-9._:-]"

if ! [[ "$image" =~ ^[A-Za-z0-9._:/@-]+$ ]]; then
  usage "not an image reference: $image"
fi
if [ -n "$digest" ]; then
  if ! [[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]]; then
    usage "not a digest: $digest (expected sha256:<64 hex>)"
  fi
  body="{\"image\":\"$image\",\"digest\":\"$digest\"}"
else
  body="{\"image\":\"$image\"}"
fi

timestamp="$(date +%s)"
if command -v node >/dev/null 2>&1; then
  # The secret stays in the environment, out of the process list.
  signature="$(printf '%s.%s' "$timestamp" "$body" | node -e '
    const hmac = require("node:crypto").createHmac("sha256", process.env.SHIPLINE_PUBLISH_SECRET);
    process.stdin.on("data", (chunk) => hmac.update(chunk));
    process.stdin.on("end", () => process.stdout.write(hmac.digest("hex")));')"
else
  # openssl takes the key as an argument: on a shared agent, prefer one with node.
  signature="$(printf '%s.%s' "$timestamp" "$body" |
    openssl dgst -sha256 -hmac "$SHIPLINE_PUBLISH_SECRET" -r | cut -d' ' -f1)"
fi

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
if [ "$status" -ge 500 ] || [ "$status" = "429" ] || [ "$status" = "000" ]; then exit 1; fi
exit 2
