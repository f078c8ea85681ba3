#!/bin/sh
# The core's includes run one way, down its layers (scripts/check-layers,
# where the layers are listed).
exec "${PARKSTAT_SRCDIR:?run through make check}/scripts/check-layers" -q "$PARKSTAT_SRCDIR"
