#!/usr/bin/env python3
"""Decode mmstream records with the .avsc files alone (Avro single-object encoding, via fastavro).

A record is C3 01 + the 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema + the
Avro binary body. The fingerprint says which schema wrote it, so one decoder reads every topic.

    # one record from a file
    python examples/decode_prediction.py schemas/src/test/resources/golden/prediction.bin
    # records from a topic: kcat frames each value as a 4-byte big-endian length + bytes
    kcat -b 127.0.0.1:9092 -t mm.predictions.emotion -C -e -f '%R%s' | python examples/decode_prediction.py -
"""
import io
import json
import pathlib
import struct
import sys

import fastavro
import fastavro.schema

SCHEMA_DIR = pathlib.Path(__file__).resolve().parent.parent / "schemas" / "src" / "main" / "avro"


def load_schemas(schema_dir=SCHEMA_DIR):
    """All record schemas by fingerprint; named types (Matrix, Task, ...) resolve across files."""
    named = {}
    files = sorted(schema_dir.rglob("*.avsc"), key=lambda p: (p.parent.name != "common", p.name not in ("Face.avsc", "Scene.avsc"), str(p)))
    parsed = [fastavro.parse_schema(json.loads(f.read_text()), named_schemas=named) for f in files]
    by_fingerprint = {}
    for schema in parsed:
        if schema.get("type") == "record":
            # the fingerprint covers the schema with every named type written out in full
            canonical = fastavro.schema.to_parsing_canonical_form(fastavro.schema.expand_schema(schema))
            digest = bytes.fromhex(fastavro.schema.fingerprint(canonical, "CRC-64-AVRO"))
            (fingerprint,) = struct.unpack("<Q", digest)  # same byte order as the header
            by_fingerprint[fingerprint] = schema
    return by_fingerprint


def decode(data, schemas):
    if len(data) < 10 or data[:2] != b"\xc3\x01":
        raise ValueError("not Avro single-object encoding (missing C3 01 marker)")
    (fingerprint,) = struct.unpack("<Q", data[2:10])
    schema = schemas.get(fingerprint)
    if schema is None:
        raise ValueError(f"unknown schema fingerprint {fingerprint:016x}")
    return schema["name"], fastavro.schemaless_reader(io.BytesIO(data[10:]), schema)


def framed(stream):
    """Values framed by kcat -f '%R%s': 4-byte big-endian length, then the bytes."""
    while header := stream.read(4):
        (length,) = struct.unpack(">i", header)
        yield stream.read(length) if length >= 0 else None


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    schemas = load_schemas()
    values = framed(sys.stdin.buffer) if argv[1] == "-" else [pathlib.Path(argv[1]).read_bytes()]
    for value in values:
        if value is None:
            continue
        name, record = decode(value, schemas)
        print(json.dumps({"type": name, "record": record}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
