# The bot's image. The build stage runs CI's steps (`npm ci`, then the build its `prepare` script
# runs); the runtime stage holds only what runs: production dependencies, dist/ and the migrations.
# Node 24: an LTS line supported until April 2028 (Node 20 reached end of life in April 2026; the
# project needs 22 or newer, see package.json's engines).
ARG NODE_IMAGE=node:24-trixie-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first, so this layer is reused until the lockfile changes. --ignore-scripts only
# defers `prepare` to the build below: no dependency needs its install script (see allowScripts).
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json prisma.config.ts ./
COPY prisma ./prisma
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS runtime-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=optional leaves out the optional peers of @prisma/client, which npm otherwise installs with
# production dependencies: the Prisma CLI (with Studio, React and effect) and TypeScript, build tools
# only. What runs stays: @prisma/client's runtime, the driver adapters, and the WebAssembly schema
# engine that applies migrations at start-up. --ignore-scripts: `prepare` builds, which needs devDependencies.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE}
# LOG_FORMAT=json: a container's log is read by collectors, even when `docker run -t` gives it a terminal.
ENV NODE_ENV=production PORT=3000 DATA_DIR=/data LOG_FORMAT=json
WORKDIR /app
# Code and dependencies stay owned by root: the bot can write its data, not its code.
COPY --from=runtime-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY prisma ./prisma
# manifest.json: the scopes start-up and `doctor` check the token against.
COPY package.json manifest.json ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# Readiness (database and Slack): "unhealthy" in `docker ps` during an outage says so; Docker does not
# restart a container for it. Orchestrators that restart should probe /health/live (README, Probes).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# A young generation of 4 MiB per semi-space instead of Node's 16: 8-10 MiB less resident, no
# measurable cost in `npm run bench` (README, Performance). Same flag as package.json's start script.
ENTRYPOINT ["node", "--max-semi-space-size=4", "--expose-gc", "dist/cli.js"]
CMD ["start"]
