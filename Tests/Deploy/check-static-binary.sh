#!/usr/bin/env bash
# Builds `persona` with the Swift standard library linked in statically and shows it runs on a
# machine without the toolchain (README "Deploying"):
#   1. ldd lists no libswift*, libFoundation* or libdispatch library and nothing under the
#      toolchain's directory;
#   2. the binary runs with the toolchain's directory hidden: in a private mount namespace an
#      empty tmpfs covers it (needs root and unshare; otherwise the library path is emptied and
#      the check says the directory could not be hidden).
# Usage: Tests/Deploy/check-static-binary.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "${1:-}" != "--no-build" ]; then
    swift build -c release --static-swift-stdlib --product persona --scratch-path .build-static
fi
binary="$(swift build -c release --scratch-path .build-static --show-bin-path)/persona"
toolchain="$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")"   # e.g. /opt/swift/usr

echo "== ldd $binary"
ldd "$binary"
if ldd "$binary" | grep -E 'libswift|libFoundation|libdispatch|libBlocksRuntime|'"$toolchain"; then
    echo "FAIL: the binary still needs the Swift runtime from the toolchain" >&2
    exit 1
fi

run_checks='"$0" --version && "$0" validate Personalities >/dev/null && echo "validate: ok"'
if [ "$(id -u)" = 0 ] && unshare --mount true 2>/dev/null; then
    echo "== running with $toolchain hidden under an empty tmpfs"
    unshare --mount sh -c 'mount -t tmpfs none "$1" && ls -A "$1" | wc -l | grep -qx 0 && shift && '"$run_checks" \
        "$binary" "$toolchain"
else
    echo "== cannot hide $toolchain here (needs root and unshare); running with an empty library path"
    env -u LD_LIBRARY_PATH sh -c "$run_checks" "$binary"
fi
echo "static binary: ok ($(du -h "$binary" | cut -f1))"
