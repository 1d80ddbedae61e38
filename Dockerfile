# syntax=docker/dockerfile:1
# Stage 1: compile GOV.UK Frontend with our Sass settings.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev --ignore-scripts && npm install --no-save --no-audit --no-fund sass@1
COPY static/scss static/scss
RUN npx sass --no-source-map --style=compressed --load-path=node_modules --quiet-deps static/scss/app.scss static/build/app.css

# Stage 2: Python with WeasyPrint's Debian libraries.
FROM python:3.11-slim-bookworm AS app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation curl \
 && rm -rf /var/lib/apt/lists/* \
 && pip install --no-cache-dir uv \
 && useradd --create-home --uid 1000 ombudsman
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
COPY --from=assets /app/node_modules/govuk-frontend node_modules/govuk-frontend
COPY --from=assets /app/static/build static/build
RUN SECRET_KEY=collectstatic-only DATABASE_URL=postgres://unused/unused python manage.py collectstatic --no-input \
 && mkdir -p /app/var && chown -R ombudsman /app/var
USER ombudsman
EXPOSE 8000
# gunicorn with threaded workers and time-outs (deploy/gunicorn.conf.py), meant to sit behind nginx (deploy/nginx.conf).
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "ombudsman.wsgi"]
