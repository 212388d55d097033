"""`python -m jixiao.common.scheme_format [--json-schema]`: prints docs/scheme-reference.md
(or the JSON Schema)."""
import json
import sys

from . import json_schema, reference_markdown

if "--json-schema" in sys.argv[1:]:
    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
else:
    sys.stdout.write(reference_markdown())
