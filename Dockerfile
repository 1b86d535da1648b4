# syntax=docker/dockerfile:1
# Multi-stage: compile TypeScript in a build stage, ship only production dependencies, run as non-root.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json ./
COPY src ./src
COPY machines ./machines
COPY seeds ./seeds
# src/codes/sm2.ts shares the check page's SM2 arithmetic (web/portal/sm2-verify.js): compiled beside it into dist/web.
COPY web ./web
RUN npx tsc -p tsconfig.json

FROM node:20-bookworm-slim AS runtime
# CJK fonts render the Chinese inspection notice (PDF); tini forwards SIGTERM so requests drain.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
# Two database roles (docs/AUDIT.md; create them once with scripts/db-roles.sql): the owner migrates, the
# application runs as a role that can only append to the audit log. Pass at run time, e.g.
#   -e DATABASE_OWNER_URL=postgres://wh327_owner:…@db/wh327 -e DATABASE_URL=postgres://wh327_app:…@db/wh327
#   -e AUDIT_MAC_KEY_FILE=/run/secrets/audit-mac.keys -e CODE_KEYS_DIR=/run/secrets/code-keys
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
COPY docs/regulation ./docs/regulation
# The console (/console/) and the portal (/portal/): static files served by the app.
COPY web ./web
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/server.js"]
