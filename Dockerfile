# syntax=docker/dockerfile:1
# Multi-stage: build with dev dependencies; ship the bundle in dist/, which carries its dependencies inside.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts ./scripts
COPY src ./src
RUN npm run build

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json ./
COPY --from=build /app/dist ./dist
COPY schemas ./schemas
COPY fixtures ./fixtures
RUN ln -s /app/dist/eksposure.mjs /usr/local/bin/eksposure && chmod +x /app/dist/eksposure.mjs \
  && mkdir /work && chown node:node /work
# apply writes its journal (and remediate --apply its plan) under .eksposure/ in the working
# directory: /work, writable by user node. Mount a folder there to keep them after the container.
WORKDIR /work
VOLUME /work
USER node
ENTRYPOINT ["eksposure"]
CMD ["--help"]
