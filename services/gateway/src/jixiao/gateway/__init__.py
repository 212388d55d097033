"""Gateway: the HTTP face of Jixiao (Flask). Serves the JSON API under
/api/v1 and the portal, reading results from the scoring and registry
services over gRPC with deadlines.

app.py        the application factory
entrypoints/  the /api/v1 blueprint and the portal pages
adapters/     gRPC clients of scoring and registry, and how their errors become HTTP answers
config.py     settings from environment variables
bootstrap.py  the embedded HTTP server; wsgi.py serves the same app under gunicorn
"""
