# One image for web (gunicorn), celery worker and celery beat; docker-compose.yml picks the command.
FROM python:3.11-slim-bookworm

# Liberation (Times-metric) and DejaVu fonts carry Vietnamese glyphs: the report's PDF embeds them.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-liberation2 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

# DEBUG is off unless set; the image says so itself, whatever environment it is started in.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DEBUG=0 \
    STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/data/media
WORKDIR /app

COPY . .
RUN pip install --no-cache-dir . \
 && DEBUG=0 SECRET_KEY=collectstatic-only ALLOWED_HOSTS=build python manage.py collectstatic --noinput \
 && useradd --system --home /app app && mkdir -p /data/media && chown -R app /data

USER app
EXPOSE 8000
CMD ["gunicorn", "de_an_06.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
