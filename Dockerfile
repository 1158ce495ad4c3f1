# winrmd as a container image: a WinRM endpoint for labs and CI.
#
#   docker build -t winrmd .
#   docker run -d -p 5985:5985 -p 5986:5986 -e WINRMD_ADMIN_PASSWORD='S3cret!' \
#     --cap-drop ALL --cap-add SETUID --cap-add SETGID --cap-add KILL --cap-add CHOWN \
#     -v winrmd-state:/var/lib/winrmd winrmd
#
# BASE is the runtime image (Node.js 20 on Debian bookworm; bookworm-slim has util-linux's setpriv
# and passwd's useradd, which winrmd needs). BUILD_BASE, the build stage's image, defaults to the
# same one so that native addons are compiled against the libraries they run with.
ARG BASE=node:20-bookworm-slim
ARG BUILD_BASE=${BASE}

FROM ${BUILD_BASE} AS build
# Native addons (node-pty) are compiled by node-gyp, which needs python3, make and a C++ compiler;
# the slim images have none of them. Only this stage gets them.
RUN if ! { command -v python3 && command -v make && command -v g++; } >/dev/null 2>&1; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 make g++ \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
    # tini as PID 1 (see ENTRYPOINT below); the static build needs nothing from the runtime image.
    && if [ ! -x /usr/bin/tini-static ]; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tini \
      && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /src
# The dependencies first, in their own layer, so that a change to the sources reuses it.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Build, then drop the development dependencies (the built addons stay in node_modules), and the
# TypeScript declarations and source maps the dependencies ship, which nothing reads at run time
# (about 6 MB of the 37).
RUN npm run build && npm prune --omit=dev --no-audit --no-fund \
    && rm -rf node_modules/.cache \
    && find node_modules -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \) -delete

FROM ${BASE}
LABEL org.opencontainers.image.title="winrmd" \
      org.opencontainers.image.description="A WinRM (WS-Management / WinRS) endpoint for Linux"
COPY --from=build /usr/bin/tini-static /usr/bin/tini
WORKDIR /opt/winrmd
COPY --from=build /src/package.json ./
COPY --from=build /src/bin ./bin
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
RUN ln -s /opt/winrmd/bin/winrmd /usr/local/bin/winrmd \
    && mkdir -p /var/lib/winrmd /etc/winrmd \
    && chmod 700 /var/lib/winrmd
WORKDIR /
ENV NODE_ENV=production
# Users, the certificate, the events log: everything winrmd keeps between runs.
VOLUME ["/var/lib/winrmd"]
EXPOSE 5985 5986
# `winrmd health` reads the same configuration as serve (WINRMD_CONFIG), so it probes the ports in use.
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 CMD ["winrmd", "health"]
STOPSIGNAL SIGTERM
# tini reaps the orphans that users' commands leave behind (node as PID 1 would collect zombies) and
# passes SIGTERM on to winrmd, which ends every shell and exits.
ENTRYPOINT ["/usr/bin/tini", "--", "winrmd"]
CMD ["serve"]
