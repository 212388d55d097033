"""The gateway's use cases, for the JSON API and the portal alike: which
scheme governs what (scheme_lookup.py), which periods a caller may see and
in which state (period_access.py), and a feed's upload of metric values
(value_uploads.py). No HTTP here: the entry points turn the errors raised
into answers."""
