"""Validates YAML files against a JSON Schema with the third-party `jsonschema` package.

Usage: validate_schema.py SCHEMA.json FILE.yaml...
Prints one JSON line per file: {"file": ..., "errors": [messages]}.
"""
import json
import re
import sys

import jsonschema
import yaml


class CoreSchemaLoader(yaml.SafeLoader):
    """PyYAML reads YAML 1.1, where `off`, `yes` and `no` are booleans; Persona and editors'
    YAML language servers read YAML 1.2, where only `true` and `false` are. Match them."""


CoreSchemaLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
CoreSchemaLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

with open(sys.argv[1], encoding="utf-8") as handle:
    schema = json.load(handle)
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as handle:
        document = yaml.load(handle, Loader=CoreSchemaLoader)
    errors = sorted(error.message for error in validator.iter_errors(document))
    print(json.dumps({"file": path, "errors": errors}))
