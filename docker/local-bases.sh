#!/usr/bin/env bash
# Makes the base images the Dockerfiles build on where no container registry can be reached: a minimal Debian
# bookworm from debootstrap (local/debian:bookworm) and a Java 17 runtime on it (local/jre:17). Each is made once
# and reused by tag; delete the tag to make it again. Needs root (debootstrap) and a running Docker engine.
set -euo pipefail
cd "$(dirname "$0")"
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if ! docker image inspect local/debian:bookworm >/dev/null 2>&1; then
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  echo "debootstrap bookworm from $MIRROR ..."
  debootstrap --variant=minbase bookworm "$root" "$MIRROR" >"$root.log" 2>&1 || { cat "$root.log"; exit 1; }
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root.log"
  tar -C "$root" -c . | docker import -c 'CMD ["/bin/bash"]' - local/debian:bookworm >/dev/null
fi
if ! docker image inspect local/jre:17 >/dev/null 2>&1; then
  echo "building local/jre:17 ..."
  docker build -q --network host -f Dockerfile.jre -t local/jre:17 . >/dev/null
fi
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^local/'
