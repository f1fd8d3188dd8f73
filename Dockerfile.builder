# The builder VM image: Node, the agent, erofs-utils, zstd, socat and a boot service that
# starts `builder-agent serve --listen vsock:5001 --output-dir /src`.
# Debian trixie: glibc, Node 20 from Debian, and erofs-utils 1.8 (the newest Debian
# offers; adds --tar, --workers, zstd) where bookworm has 1.5.
# Build: docker build -f Dockerfile.builder -t erofs-builder-agent .

FROM debian:trixie-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm libnode-dev python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# Native addons (ours, zstd-napi) build against Debian's Node headers: no downloads.
ENV npm_config_nodedir=/usr
WORKDIR /opt/erofs-builder
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY agent/native/binding.gyp agent/native/fsextra.c agent/native/
RUN npm ci --no-audit --no-fund
COPY proto proto
COPY agent agent
COPY host host
COPY scripts/copy-generated.mjs scripts/
RUN npm run build && npm prune --omit=dev

FROM debian:trixie-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs erofs-utils e2fsprogs zstd socat ca-certificates iproute2 util-linux \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/erofs-builder
COPY --from=build /opt/erofs-builder/package.json ./
COPY --from=build /opt/erofs-builder/node_modules node_modules
COPY --from=build /opt/erofs-builder/dist dist
COPY README.md ./
COPY scripts/builder-image/builder-agent.sh /usr/local/bin/builder-agent
COPY scripts/builder-image/builder-agent-init /usr/local/sbin/builder-agent-init
COPY scripts/builder-image/builder-agent.service /etc/systemd/system/builder-agent.service
RUN mkdir -p /etc/systemd/system/multi-user.target.wants /src \
 && ln -sf /etc/systemd/system/builder-agent.service /etc/systemd/system/multi-user.target.wants/builder-agent.service
CMD ["/usr/local/bin/builder-agent", "serve", "--listen", "vsock:5001", "--output-dir", "/src", "--work-dir", "/run/erofs-builder"]
