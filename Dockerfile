# Canopy: the origin and the relay in one image, run as `canopy origin …` or `canopy relay …`
# (the same bin/canopy.js and dist/ that scripts/check-dist.sh tests from a clean copy).
#
#   docker build -t canopy:0.1.0 .
#   docker run --rm --network host -e CANOPY_CLUSTER_SECRET=… canopy:0.1.0 relay \
#       --id relay-a --listen 0.0.0.0:8100 --ice-address 203.0.113.11 \
#       --parent ws://203.0.113.10:8000/relay
#
# WebRTC media is UDP straight to --ice-address: use host networking, or publish the HTTP port
# and the whole --ice-port-min..--ice-port-max range. No Docker engine was available where
# this file was written: it has not been built; it follows the tested production path.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs scripts/build.mjs
COPY src src
COPY origin origin
COPY relay relay
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# V8's young generation at 2 x 4 MiB, not 2 x 16: ~25 MiB less RSS per node (deploy/systemd says the same).
ENV NODE_OPTIONS=--max-semi-space-size=4
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist dist
COPY bin bin
COPY LICENSE README.md ./
# A fixed non-root user (the Kubernetes manifests run as the same uid); /var/lib/canopy holds
# the origin's archive (--data-dir).
RUN groupadd --system --gid 10001 canopy \
  && useradd --system --uid 10001 --gid canopy --home-dir /var/lib/canopy --shell /usr/sbin/nologin canopy \
  && install -d -o canopy -g canopy /var/lib/canopy
USER 10001:10001
VOLUME ["/var/lib/canopy"]
# HTTP (WHIP, WHEP, relay links, /healthz, /metrics): the origin's and a relay's defaults.
EXPOSE 8000 8100
# node is PID 1 and handles SIGTERM itself (drain, then close); see docs/deploy.md.
ENTRYPOINT ["node", "/app/bin/canopy.js"]
CMD ["--help"]
