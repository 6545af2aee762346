# SecCoder's GitHub App and its worker, one image (README, "Deploy: Docker, Compose, health and
# metrics"). `docker run` starts the webhook server; `node dist/src/github/worker-main.js` a worker.

# ---- build: compile, index the seed corpus, keep only the runtime dependencies -------------------
FROM node:20-bookworm-slim AS build
# hnswlib-node compiles its addon with node-gyp while installing.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src src
COPY scripts scripts
COPY bench bench
COPY bin bin
COPY corpus corpus
# onnxruntime-node's install step only fetches GPU libraries; its CPU binaries ship in the package.
# `npm ci` also runs `prepare` (`npm run build`), so dist/ is compiled here.
RUN ONNXRUNTIME_NODE_INSTALL=skip npm ci

# The seed corpus, indexed now so the first review does not wait for it. It lives outside /app at
# the same path as in the final image (a named volume mounted there starts as this copy), and is
# the App's corpus: merged fixes are appended to it.
ENV SECCODER_CORPUS=/var/lib/seccoder/corpus
RUN mkdir -p /var/lib/seccoder \
 && cp -r corpus "$SECCODER_CORPUS" \
 && node bin/seccoder.js index --corpus "$SECCODER_CORPUS"

# Development dependencies out; no script needs to run for a removal.
RUN npm prune --omit=dev --ignore-scripts

# ---- runtime ------------------------------------------------------------------------------------
FROM node:20-bookworm-slim
# The analyzers that judge suggestions and merged fixes (scripts/install-analyzers.sh); bandit
# brings Debian's python3, which src/analyze/bandit-runner.py runs on. gcc only recommends the C
# headers a lone function is compiled against, so they are named.
RUN apt-get update \
 && apt-get install -y --no-install-recommends bandit cppcheck clang gcc flawfinder libc6-dev \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    PORT=3000 \
    SECCODER_CORPUS=/var/lib/seccoder/corpus
WORKDIR /app
# The code stays root-owned and read-only to the App. src/ is needed at run time: the prompt
# templates and bandit-runner.py are read from it.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/src src
COPY --from=build /app/bin bin
COPY --from=build /app/corpus corpus
COPY NOTICE ./
# With the analyzers installed the script only checks them: the build fails here, not in a review,
# when bandit-runner.py cannot make Debian's bandit report SQL built from strings.
COPY --from=build /app/scripts/install-analyzers.sh scripts/
RUN ANALYZERS_ONLY=1 bash scripts/install-analyzers.sh
# The corpus is the one thing the App writes: it belongs to the user the App runs as.
COPY --from=build --chown=node:node /var/lib/seccoder/corpus /var/lib/seccoder/corpus
USER node
EXPOSE 3000
# /healthz answers as long as the process does; Node's own fetch, so the image needs no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/github/main.js"]
