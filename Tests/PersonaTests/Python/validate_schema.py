"""Validates YAML files against a JSON Schema with the third-party `jsonschema` package.

Usage: validate_schema.py SCHEMA.json FILE.yaml...
Prints one JSON line per file: {"file": ..., "errors": [messages]}.
"""
import json
import sys

import jsonschema
import yaml

with open(sys.argv[1], encoding="utf-8") as handle:
    schema = json.load(handle)
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    errors = sorted(error.message for error in validator.iter_errors(document))
    print(json.dumps({"file": path, "errors": errors}))
