#!/bin/sh
# The alternative a user scripts without certgate: print every certificate
# (to catch unparsable files) and verify its chain, one openssl call each.
# usage: openssl-loop.sh ROOT INTERMEDIATES FILE...
root=$1
intermediates=$2
shift 2
status=0
for file in "$@"; do
  openssl x509 -noout -text -in "$file" >/dev/null || status=1
  openssl verify -CAfile "$root" -untrusted "$intermediates" "$file" >/dev/null || status=1
done
exit $status
