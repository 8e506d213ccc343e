#!/usr/bin/env python3
"""The copy of a spec that a peer generator reads, for scripts/peer-cost.sh.

    peer-spec.py (openapi-generator|progenitor) SPEC OUT

Writes OUT (YAML, or JSON when OUT ends in .json) and prints, for the
record, every change made to get the spec through that peer; a peer that
takes the spec as it is gets an unchanged copy.
"""

import json
import sys

import yaml

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operations(doc):
    for path, item in doc.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item[method]


def for_progenitor(doc, changes):
    # progenitor generates a query parameter from a scalar or an array of
    # scalars only: a free-form `name=value` object (`style: form`,
    # `explode`) is not one. Dropped.
    dropped = 0
    for _, _, op in operations(doc):
        kept = []
        for parameter in op.get("parameters", []):
            schema = parameter.get("schema", {})
            if schema.get("type") == "object" and parameter.get("style") == "form":
                dropped += 1
                continue
            kept.append(parameter)
        if "parameters" in op:
            op["parameters"] = kept
    if dropped:
        changes.append(f"dropped {dropped} free-form object query parameters (name=value pairs)")
    # progenitor takes JSON bodies only: form and multipart bodies become
    # JSON bodies of the same schema.
    converted = 0
    for _, _, op in operations(doc):
        content = op.get("requestBody", {}).get("content")
        if not content:
            continue
        media = next(iter(content))
        if media != "application/json":
            op["requestBody"]["content"] = {"application/json": content[media]}
            converted += 1
    if converted:
        changes.append(f"{converted} form or multipart request bodies declared as JSON")


def for_openapi_generator(doc, changes):
    # Nothing: OpenAPI Generator takes the spec as it is.
    del doc, changes


def main():
    peer, source, out = sys.argv[1:4]
    with open(source, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    changes = []
    {"progenitor": for_progenitor, "openapi-generator": for_openapi_generator}[peer](doc, changes)
    with open(out, "w", encoding="utf-8") as f:
        if out.endswith(".json"):
            json.dump(doc, f)
        else:
            yaml.safe_dump(doc, f, sort_keys=False)
    print(f"{peer}: " + ("; ".join(changes) if changes else "the spec as it is"), file=sys.stderr)


if __name__ == "__main__":
    main()
