"""HTTP entry points: the Flask application, the JSON API (api_*.py) and the portal (Flask blueprints)."""
