"""Reads a Sluice topic and prints each DTS record, until stopped.

    pip install fastavro confluent-kafka     (Debian: python3-confluent-kafka)
    python3 docs/examples/dts_consumer.py BOOTSTRAP TOPIC docs/format/Record.avsc [GROUP]
"""
import io
import json
import sys
from decimal import Decimal

import fastavro
from confluent_kafka import Consumer

bootstrap, topic, avsc = sys.argv[1:4]
group = sys.argv[4] if len(sys.argv) > 4 else "dts-consumer-example-py"

# Record.avsc is a JSON array of named types; the message value is one Record (no header, no prefix)
with open(avsc) as f:
    types = fastavro.parse_schema(json.load(f))     # the later types refer to the earlier ones by name
RECORD = next(t for t in types if t["name"] == "com.alibaba.dts.formats.avro.Record")

CHARSETS = {"utf8": "utf-8", "utf8mb3": "utf-8", "utf8mb4": "utf-8", "latin1": "cp1252", "ascii": "ascii"}


def value(v):
    """One column value as a Python value; see docs/format.md. With return_record_name=True fastavro
    gives a union's record branch as (full name, fields)."""
    if v is None:
        return None                                      # SQL NULL
    name, f = v
    kind = name.rsplit(".", 1)[1]
    if kind == "Integer":
        return int(f["value"])
    if kind == "Decimal":
        return Decimal(f["value"])
    if kind == "Character":
        if f["charset"] == "binary":
            return f["value"]
        return f["value"].decode(CHARSETS.get(f["charset"], f["charset"]))
    if kind in ("Float", "TextObject", "BinaryObject", "BinaryGeometry", "TextGeometry"):
        return f["value"]
    return f                                             # DateTime, Timestamp, ...: their fields


def describe(r):
    if r["operation"] == "DDL":
        return f'#{r["id"]} DDL {r["objectName"]} {r["afterImages"]}'
    names = [f["name"] for f in r["fields"]]
    text = f'#{r["id"]} {r["operation"]} {r["objectName"]}'
    for label, image in (("before", r["beforeImages"]), ("after", r["afterImages"])):
        if image is not None:
            text += f" {label}=" + str({n: value(v) for n, v in zip(names, image)})
    return text


consumer = Consumer({
    "bootstrap.servers": bootstrap,
    "group.id": group,
    "isolation.level": "read_committed",   # only committed Kafka transactions (exactly-once)
    "auto.offset.reset": "earliest",
    "enable.auto.commit": False,            # commit offsets after applying the records
})
consumer.subscribe([topic])
last_id = {}                                # per partition: ids only grow within one
while True:
    msg = consumer.poll(1.0)
    if msg is None:
        continue
    if msg.error():
        raise RuntimeError(msg.error())
    r = fastavro.schemaless_reader(io.BytesIO(msg.value()), RECORD, return_record_name=True)
    if r["id"] <= last_id.get(msg.partition(), 0):
        continue                            # at-least-once: a retried send repeated this record
    last_id[msg.partition()] = r["id"]
    print(describe(r), flush=True)         # apply the change here
    consumer.commit(msg, asynchronous=False)
