#!/usr/bin/env python3
"""Writes the fuzz seed corpus of ResponseDecoderFuzzTest from the recorded transcripts.

Each seed is [mode, split seed] + a transcript's response body (mode 2 = BULK for bulk responses, else 0 = ROWS).
Run from crate-reactive-core/src/test/resources. Findings live beside the seeds as crash-*/timeout-* files.
"""
import glob, json, os

out = 'dev/cratereactive/internal/codec/ResponseDecoderFuzzTestInputs/decode'
os.makedirs(out, exist_ok=True)

def responses(node):
    if isinstance(node, dict):
        if isinstance(node.get('response'), dict):
            yield node['response']
        for value in node.values():
            yield from responses(value)
    elif isinstance(node, list):
        for value in node:
            yield from responses(value)

for path in sorted(glob.glob('transcripts/*.json')):
    name = os.path.basename(path)[:-5]
    if name.startswith('cases'):
        continue
    for i, response in enumerate(responses(json.load(open(path)))):
        body = response.get('body')
        if body is None:
            continue
        if not isinstance(body, str):
            body = json.dumps(body)
        if not body.startswith('{"'):
            continue
        data = body.encode()
        mode = 2 if name.startswith('bulk') or '"results"' in body else 0
        with open(f'{out}/{name}{"-" + str(i) if i else ""}', 'wb') as f:
            f.write(bytes([mode, sum(data) % 256]) + data)
