"""Parses Prometheus text exposition (0.0.4) from stdin with the official prometheus_client
parser and prints what it understood as JSON, so Swift tests check values, not strings.

Output: {"families": [{"name", "type", "help", "samples": [{"name", "labels", "value"}]}]}
Non-finite values are written as the strings "+Inf", "-Inf", "NaN".
Exit status 1 (with the parser's message on stderr) if the text does not parse.
"""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def number(value):
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return value


def main():
    text = sys.stdin.read()
    try:
        families = [
            {
                "name": family.name,
                "type": family.type,
                "help": family.documentation,
                "samples": [
                    {"name": s.name, "labels": dict(s.labels), "value": number(s.value)}
                    for s in family.samples
                ],
            }
            for family in text_string_to_metric_families(text)
        ]
    except Exception as error:  # the parser raises ValueError and friends
        print(f"parse error: {error}", file=sys.stderr)
        return 1
    json.dump({"families": families}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
