#!/bin/sh
# The alternative a user scripts without certgate: one `openssl ocsp` call per
# certificate, each verifying the response against the chain; a status other
# than good fails the loop only when openssl itself fails.
# usage: openssl-loop.sh ISSUER CHAIN URL FILE...
issuer=$1
chain=$2
url=$3
shift 3
status=0
for file in "$@"; do
  openssl ocsp -issuer "$issuer" -cert "$file" -url "$url" -CAfile "$chain" >/dev/null 2>&1 || status=1
done
exit $status
