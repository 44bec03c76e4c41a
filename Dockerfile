# The product as a container image: ingestion on 8787, the queue in the /data volume (SQLite), or in
# PostgreSQL with DATABASE_URL (see compose.yaml). Without INTERCOM_ACCESS_TOKEN it delivers to the
# built-in sandbox. Build: docker build -t intercom-destination .
# The install and start commands here are the README's production path; test/e2e/production-install
# runs the same commands in a fresh folder and checks that this file still uses exactly them.

# Production dependencies only, compiled against this image's Node (better-sqlite3 is a native module).
FROM node:24-bookworm-slim AS deps
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

# The compiled product (dist/), built with the development dependencies, which stay in this stage.
FROM deps AS build
RUN npm ci
COPY . .
RUN npm run build

FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8787) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--max-semi-space-size=4", "dist/node/cli/main.js", "serve"]
