# replylint pre-send hook (`replylint serve`) in a container, built without network access.
#
# The build installs only from ./wheelhouse, which you fill beforehand on a
# machine with the same platform (Linux x86_64, CPython 3.11) and an index:
#
#   pip wheel '.[server]' -w wheelhouse        # the wheels of every dependency (and a replylint wheel)
#   pip download 'hatchling>=1.24' -d wheelhouse  # the build backend, to build replylint's wheel offline
#   docker build -t replylint:0.1.0 .
#
# See "Server in production" in README.md.

# -- stage 1: build replylint's wheel and gather every wheel it needs ----------------------------------
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY wheelhouse/ /wheelhouse/
COPY pyproject.toml README.md ./
COPY replylint/ replylint/
COPY rules/ rules/
COPY scenarios/ scenarios/
# Builds replylint from this source (never a stale wheel from the wheelhouse) and copies in the wheels of
# its dependencies with the server extra: it fails here if the wheelhouse lacks one.
RUN pip wheel --no-index --find-links /wheelhouse --wheel-dir /wheels '.[server]'

# -- stage 2: the service -----------------------------------------------------------------------------
FROM python:3.11-slim
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# The wheels are mounted for the install only, so they do not stay in a layer of the image.
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-index --find-links /wheels 'replylint[server]'
RUN useradd --system --uid 10001 --create-home --home-dir /home/replylint replylint \
    && mkdir -p /srv/replylint && chown replylint /srv/replylint
# A replylint.toml mounted here is found on its own (or pass --config PATH).
WORKDIR /srv/replylint
USER replylint
EXPOSE 8750
# /healthz answers as soon as the process is up; /readyz once the pipelines are loaded.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8750/healthz', timeout=4)"]
CMD ["replylint", "serve", "--host", "0.0.0.0"]
