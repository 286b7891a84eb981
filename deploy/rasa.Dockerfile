# A Rasa 3.6.21 server with Jaga's model, from requirements/rasa.lock (Python 3.10).
# Build from the repository root: docker build -f deploy/rasa.Dockerfile -t jaga-rasa .
# The model is trained at build time from config.yml, nlu/ and rasa_ext/ (about a minute).
FROM python:3.10-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PYTHONPATH=/app TF_CPP_MIN_LOG_LEVEL=2 \
    SQLALCHEMY_SILENCE_UBER_WARNING=1 RASA_TELEMETRY_ENABLED=false
WORKDIR /app
COPY requirements/rasa.lock requirements/rasa.lock
RUN pip install --no-cache-dir --no-deps -r requirements/rasa.lock
COPY config.yml ./
COPY nlu nlu
COPY rasa_ext rasa_ext
RUN rasa train --config config.yml --domain nlu/domain \
      --data nlu/data nlu/generated nlu/en nlu/id nlu/km nlu/lo nlu/my nlu/th nlu/tl nlu/vi \
      --out /models --fixed-model-name jaga
COPY deploy/rasa/endpoints.yml /app/endpoints.yml
RUN useradd --system --home /app rasa && chown -R rasa /app
USER rasa
EXPOSE 5005
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:5005/', timeout=4).status == 200 else 1)"
# rasa_ext.launch is Rasa's own command line with Jaga's speed-ups (docs/benchmarks.md).
CMD ["python", "-m", "rasa_ext.launch", "run", "--enable-api", "--port", "5005", "--model", "/models/jaga.tar.gz", \
     "--endpoints", "/app/endpoints.yml"]
