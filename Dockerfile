# kompass in a container (issue 13; docs/deploy.md has the whole recipe).
#   docker build -t kompass .
#   docker run -d -p 8501:8501 -v kompass-data:/data kompass
#   docker run --rm -v kompass-data:/data -v "$PWD/reports:/reports:ro" kompass kompass ingest /reports
# The app listens on every interface of the container, so it is read-only to visitors unless
# sign-in names the writers (KOMPASS_SIGN_IN, KOMPASS_WRITERS; docs/deploy.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The wheel carries the app (app.py, pages/, .streamlit/config.toml) as data files.
WORKDIR /build
COPY pyproject.toml README.md app.py ./
COPY .streamlit/ ./.streamlit/
COPY pages/ ./pages/
COPY kompass/ ./kompass/
RUN pip install . && rm -rf /build

# A user without a login or a password; the database lives on the volume it owns, and
# snapshots for read-only replicas on another (compose.yaml).
RUN useradd --system --uid 10001 --user-group --home-dir /data --no-create-home kompass \
    && mkdir -p /data /snapshots \
    && chown kompass:kompass /data /snapshots
USER kompass
WORKDIR /data
ENV KOMPASS_DATA=/data \
    KOMPASS_DB=/data/kompass.duckdb \
    KOMPASS_BASE_URL_PATH=""
VOLUME ["/data"]
EXPOSE 8501

# Streamlit's own health endpoint, under the base path when one is set.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; base = os.environ.get('KOMPASS_BASE_URL_PATH', '').strip('/'); url = 'http://127.0.0.1:8501' + ('/' + base if base else '') + '/_stcore/health'; sys.exit(0 if urllib.request.urlopen(url, timeout=4).read() == b'ok' else 1)"]

CMD ["kompass", "serve", "--address", "0.0.0.0", "--port", "8501"]
