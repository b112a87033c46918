# The web dApp's static files (frontend/, React + TypeScript + Vite) served by an unprivileged
# nginx on port 8080. Build from the repository root:
#   docker build -f deploy/docker/frontend.Dockerfile -t esg-frontend:dev .
# Bases pinned by digest (re-resolve with `docker buildx imagetools inspect <image>:<tag>`).

FROM node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0 AS build
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
# Vite writes the production build to dist/.
RUN npm run build

FROM nginxinc/nginx-unprivileged:1.27-alpine@sha256:65e3e85dbaed8ba248841d9d58a899b6197106c23cb0ff1a132b7bfe0547e4c0
COPY deploy/docker/frontend-nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /src/frontend/dist /usr/share/nginx/html
# The image's own non-root user (uid 101); nginx listens on 8080.
USER 101
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"]
