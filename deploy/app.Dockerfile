# The Jaga app (python-telegram-bot front end, action/NLG server) from requirements/app.lock.
# Build from the repository root: docker build -f deploy/app.Dockerfile -t jaga-app .
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PYTHONPATH=/app JAGA_VAR_DIR=/var/lib/jaga
WORKDIR /app
# Tesseract reads screenshots of job ads (optional: without it the bot asks for the text).
COPY scripts/install-ocr scripts/install-ocr
RUN scripts/install-ocr && rm -rf /var/lib/apt/lists/*
COPY requirements/app.lock requirements/app.lock
RUN pip install --no-cache-dir --no-deps -r requirements/app.lock
# Code and the data the app reads at run time (responses, catalogs, reference data).
COPY pyproject.toml ./
COPY bot bot
COPY responses responses
COPY locales locales
COPY data data
COPY nlu nlu
RUN useradd --system --home /var/lib/jaga jaga && mkdir -p /var/lib/jaga && chown jaga /var/lib/jaga
USER jaga
EXPOSE 5055
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:5055/healthz', timeout=4).status == 200 else 1)"
CMD ["python", "-m", "bot", "run", "--webhook"]
