FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PYTHON_DOWNLOADS=never UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir uv==0.13.9 && useradd --create-home --uid 1000 app
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
# Static files are built into the image (hashed names, compressed); the key below exists only for this step.
RUN APP_ENV=production ALLOWED_HOSTS=build PUBLIC_BASE_URL=https://build INSTALLATION_ID=build SECRET_KEY=build-only-not-a-secret-0123456789-0123456789-0123456789 \
    python manage.py collectstatic --noinput -v0 && mkdir -p /app/media && chown -R app:app /app
USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--worker-class", "gthread", "--threads", "16", "--access-logfile", "-"]
