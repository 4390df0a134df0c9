#!/usr/bin/python3
"""Encodes oracle_cases.json's datums with Apache Avro's Python implementation (Debian's
python3-avro), writing {"cases": [{"schema", "datum", "hex"}]} for oracle_test.cc.

    oracle.py CASES.json OUT.json
"""
import io
import json
import sys

import avro.io
import avro.schema


def to_avro(schema, datum):
    """meshsim's datum convention to the values Avro's DatumWriter takes."""
    t = schema.type
    if t in ("bytes", "fixed"):
        return datum.encode("latin-1")
    if t == "record":
        return {f.name: to_avro(f.type, datum[f.name]) for f in schema.fields if f.name in datum}
    if t == "array":
        return [to_avro(schema.items, d) for d in datum]
    if t == "map":
        return {k: to_avro(schema.values, v) for k, v in datum.items()}
    if t == "union":
        for branch in schema.schemas:  # the first branch the value is valid for, as meshsim
            if branch.type == "null":
                if datum is None:
                    return None
                continue
            try:
                candidate = to_avro(branch, datum)
            except (AttributeError, KeyError, TypeError, ValueError):
                continue
            if avro.io.validate(branch, candidate):
                return candidate
        raise ValueError(f"no branch of {schema} for {datum!r}")
    return datum


def encode(schema, datum):
    out = io.BytesIO()
    avro.io.DatumWriter(schema).write(to_avro(schema, datum), avro.io.BinaryEncoder(out))
    return out.getvalue().hex()


def main():
    cases = json.load(open(sys.argv[1]))["cases"]
    out = []
    for case in cases:
        schema = avro.schema.parse(json.dumps(case["schema"]))
        for datum in case["datums"]:
            out.append({"schema": case["schema"], "datum": datum, "hex": encode(schema, datum)})
    with open(sys.argv[2], "w") as f:
        json.dump({"generator": "Apache Avro (Python) " + getattr(avro, "__version__", ""),
                   "cases": out}, f, indent=1)


if __name__ == "__main__":
    main()
