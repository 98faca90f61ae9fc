# dcr-conformance with Debian's Chromium, as one image:
#   docker build -t dcr-conformance .
#   docker run --rm -v "$PWD:/work" dcr-conformance --target acme-idp --targets targets.yaml \
#     --reporter junit=out/junit.xml
# The entry point is the CLI, so every command works: doctor, init, list, merge, serve, ...
# The image installs the package exactly as `npm pack` ships it (README: "Docker").

# Build stage: compile dist/ and pack the tarball (dev dependencies stay here).
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build \
  && npm pack --ignore-scripts --pack-destination /tmp \
  && mv /tmp/dcr-conformance-*.tgz /tmp/dcr-conformance.tgz

# Runtime stage: Node 20, Debian's Chromium, the packed tarball installed globally.
FROM node:20-bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends chromium ca-certificates fonts-liberation \
  && rm -rf /var/lib/apt/lists/*
# The browser the login driver uses (harness/browser/discovery.ts reads DCR_BROWSER first).
ENV DCR_BROWSER=/usr/bin/chromium
COPY --from=build /tmp/dcr-conformance.tgz /tmp/dcr-conformance.tgz
RUN npm install -g --ignore-scripts --no-audit --no-fund /tmp/dcr-conformance.tgz \
  && rm /tmp/dcr-conformance.tgz
# Root in the container: Chromium's sandbox needs kernel features a default container lacks, and
# the harness turns the sandbox off only as root (harness/browser/playwright-driver.ts). With
# `docker run --user UID:GID` add --login-driver http (no browser) or a seccomp profile that
# allows user namespaces.
WORKDIR /work
ENTRYPOINT ["dcr-conformance"]
CMD ["--help"]
