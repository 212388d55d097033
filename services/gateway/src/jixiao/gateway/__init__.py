"""Gateway: the HTTP face of Jixiao (Flask). Serves the JSON API under
/api/v1 and the portal, reading results from the scoring and registry
services over gRPC with deadlines.

domain/         pure rules: review states, who sees which period, upload rows
service_layer/  the use cases of the API and the portal: scheme lookup, period access, value uploads
adapters/       gRPC clients of scoring and registry (and the errors they raise), their cached
                answers, MetricEvents and the Kafka publisher, spreadsheets
entrypoints/    the Flask application: the /api/v1 blueprints and the portal pages
config.py       settings from environment variables
bootstrap.py    wires everything; runs the embedded HTTP server; wsgi.py serves the same app under gunicorn
"""
