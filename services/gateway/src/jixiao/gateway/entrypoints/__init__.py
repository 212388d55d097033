"""HTTP entry points: the JSON API and the portal (Flask blueprints)."""
