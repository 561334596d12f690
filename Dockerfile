# syntax=docker/dockerfile:1
#
# gridcc image, built in three stages:
#   web      node:20 builds frontend/ into frontend/dist when frontend/package.json exists
#            (an empty dist otherwise: gridcc then serves a notice page at /)
#   build    golang:1.26 builds ./backend/cmd/gridcc as a static binary (CGO_ENABLED=0)
#   runtime  debian:bookworm-slim with the binary, geodata/ and the frontend dist, run as the
#            unprivileged user gridcc (uid 10001); curl is there for the HEALTHCHECK
#
# Build: docker build -t gridcc .        Run with Redis and ClickHouse: docker compose up -d --build
#
# Why the web stage copies the whole build context: frontend/ (and geodata/) may not exist yet
# in a clone, and COPY of a missing path fails the build. .dockerignore keeps that context small.
# Once frontend/package-lock.json is committed, better layer caching is:
#   COPY frontend/package.json frontend/package-lock.json ./frontend/
#   RUN cd frontend && npm ci
#   COPY frontend/ ./frontend/
#   RUN cd frontend && npm run build

FROM node:20-bookworm AS web
WORKDIR /src
COPY . .
RUN if [ -f frontend/package.json ]; then \
      cd frontend && npm ci --no-audit --no-fund && npm run build; \
    else \
      echo "no frontend/package.json: building without the screens"; \
    fi \
 && mkdir -p /src/frontend/dist

FROM golang:1.26-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -trimpath -ldflags='-s -w' -o /out/gridcc ./backend/cmd/gridcc \
 && mkdir -p /src/geodata

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /app --no-create-home --shell /usr/sbin/nologin gridcc
WORKDIR /app
COPY --from=build /out/gridcc /app/gridcc
COPY --from=build /src/geodata /app/geodata
COPY --from=web /src/frontend/dist /app/frontend/dist
ENV GRIDCC_ADDR=0.0.0.0:8080 \
    GRIDCC_GEODATA=/app/geodata \
    GRIDCC_FRONTEND_DIR=/app/frontend/dist
USER gridcc:gridcc
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["/app/gridcc"]
