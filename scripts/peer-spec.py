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


def schemas(node):
    """Every schema object below `node` (a good enough guess: any mapping
    with a `type`, `format`, `anyOf`, `oneOf`, `default` or `properties`)."""
    if isinstance(node, dict):
        if any(k in node for k in ("type", "format", "anyOf", "oneOf", "default", "properties")):
            yield node
        for value in node.values():
            yield from schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from schemas(value)


def drop_free_form_parameters(doc, changes):
    """Free-form `name=value` query parameters (an object, `style: form`)
    dropped: neither peer generates a working one."""
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


def for_progenitor(doc, changes):
    # typify (progenitor's type generator) panics on a `format` without a
    # type or on an object (`{format: megabytes}`, `{type: object, format:
    # json}`) and refuses a `default` it cannot check against a union of
    # types: both dropped.
    formats = defaults = 0
    for schema in schemas(doc.get("paths", {})):
        if "format" in schema and schema.get("type") in (None, "object", "array"):
            del schema["format"]
            formats += 1
        if "default" in schema and ("anyOf" in schema or "oneOf" in schema):
            del schema["default"]
            defaults += 1
    if formats:
        changes.append(f"dropped {formats} `format`s of schemas without a type or of objects")
    if defaults:
        changes.append(f"dropped {defaults} `default`s of `anyOf`/`oneOf` schemas")
    drop_free_form_parameters(doc, changes)
    # progenitor names `_count` and `count` alike, and its struct then has
    # the field twice: the `_` one dropped.
    twins = 0
    for schema in schemas(doc.get("paths", {})):
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for name in [n for n in properties if n.startswith("_") and n.lstrip("_") in properties]:
                del properties[name]
                twins += 1
    if twins:
        changes.append(f"dropped {twins} reply members named like another but for a leading `_`")
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
    drop_free_form_parameters(doc, changes)


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
