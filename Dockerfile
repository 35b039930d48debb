# syntax=docker/dockerfile:1
#
# Container image for lostinnl: a static binary on a distroless base, running as an
# unprivileged user, with no shell or package manager inside.
#
# NOT exercised in CI here (no container runtime on the build machine): the supported,
# tested production path is the systemd unit + nginx in deploy/ (docs/deploy.md).
#
#   docker build -t lostinnl .
#   docker run --rm -p 8080:8080 -v lostinnl-data:/var/lib/lostinnl lostinnl
#
# Configuration is the usual LOSTINNL_* environment (README). Put TLS in front (a load
# balancer or nginx) and set LOSTINNL_TRUSTED_PROXIES to its address range.

FROM golang:1.26-bookworm AS build
WORKDIR /src
# Dependencies first, so editing the code does not invalidate the module cache layer.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# CGO_ENABLED=0: pure-Go SQLite (modernc.org/sqlite) and everything else, so the binary
# has no libc dependency and runs on a base image without one.
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -buildvcs=false -ldflags="-s -w" \
      -o /out/lostinnl ./cmd/lostinnl \
 && mkdir -p /out/data

# distroless/static: CA certificates, /etc/passwd with "nonroot" (65532) and tzdata; nothing else.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/lostinnl /usr/local/bin/lostinnl
COPY --from=build --chown=65532:65532 /out/data /var/lib/lostinnl
ENV LOSTINNL_ADDR=:8080 \
    LOSTINNL_DATA_DIR=/var/lib/lostinnl \
    LOSTINNL_LOG_FORMAT=json
# Metrics stay on 127.0.0.1:9090 inside the container by default (never public). To let a
# scraper in the same pod or network reach them, set LOSTINNL_OPS_ADDR=:9090 and do not
# publish that port.
USER 65532:65532
EXPOSE 8080
# The volume holds everything the app writes, including the upload spool
# (/var/lib/lostinnl/spool, 0700, cleared of dead processes' uploads at start): uploads never go to /tmp,
# which in a container would be the writable image layer.
VOLUME ["/var/lib/lostinnl"]
# No HEALTHCHECK: there is no shell or curl in the image; orchestrators should probe
# GET /healthz (liveness) and GET /readyz (readiness) on port 8080.
ENTRYPOINT ["/usr/local/bin/lostinnl"]
CMD ["serve"]
