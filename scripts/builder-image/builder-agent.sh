#!/bin/sh
# /usr/local/bin/builder-agent in the builder image: runs the compiled agent with the image's Node.
exec node /opt/erofs-builder/dist/agent/cli.js "$@"
