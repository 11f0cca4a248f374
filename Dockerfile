# Not built on the development machines (no Docker engine there); see README "Status".
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `npm install` with the lockfile, failing if it would change it (npm 11's `npm ci` refuses the lockfiles its own
# `npm install` writes; see .ci/run).
RUN cp package-lock.json /tmp/locked.json && npm install --no-audit --no-fund \
    && { cmp -s package-lock.json /tmp/locked.json || { echo 'package-lock.json is out of sync' >&2; exit 1; }; }
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
