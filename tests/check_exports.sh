#!/bin/sh
# SPDX-License-Identifier: MIT
# Asserts that a built libfastgpio exports exactly the API: fgpio_* functions
# declared in include/fastgpio.h, and nothing else.
set -eu
lib=$1
header=$2
exported=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBR]$/ {print $3}' | sort)
declared=$(grep -o 'FGPIO_API[^(]*(' "$header" | grep -o 'fgpio_[a-z_0-9]*($' | tr -d '(' | sort -u)
if [ "$exported" != "$declared" ]; then
	echo "exported symbols differ from the API in $header:"
	echo "$exported" > /tmp/fgpio-exported.$$
	echo "$declared" | diff /tmp/fgpio-exported.$$ - || true
	rm -f /tmp/fgpio-exported.$$
	exit 1
fi
echo "exports: $(echo "$exported" | wc -l) symbols, all in the API"
