#!/usr/bin/env python3
"""Does a unique leading comment (the statement tag) cost CrateDB anything? Alternates untagged and tagged
bulk inserts and point queries over one keep-alive connection and prints the server's own `duration`.

Usage: statement-tag-cost.py  (the node at CRATEDB_URL, default http://127.0.0.1:4200; needs
crate_reactive_bench.w1_big, which RealServerSuite creates)"""
import http.client, json, os, time, uuid, statistics, random, urllib.parse
node = urllib.parse.urlsplit(os.environ.get('CRATEDB_URL', 'http://127.0.0.1:4200'))
c = http.client.HTTPConnection(node.hostname, node.port or 4200)
def q(body):
    c.request('POST', '/_sql', body=body, headers={'Content-Type': 'application/json'})
    r = c.getresponse(); return json.loads(r.read())
T = 'crate_reactive_bench.tagcost'
q(json.dumps({'stmt': f'DROP TABLE IF EXISTS {T}'}))
q(json.dumps({'stmt': f'CREATE TABLE {T} (id BIGINT, label TEXT, val DOUBLE) CLUSTERED INTO 4 SHARDS WITH (number_of_replicas = 0)'}))
stmt = f'INSERT INTO {T} (id, label, val) VALUES (?, ?, ?)'
n = 0
def body(tagged):
    global n
    rows = [[n + i, 'label-%014d' % (n + i), (n + i) * 0.5] for i in range(1000)]
    n += 1000
    s = ('/* crate-reactive:%s */ ' % uuid.uuid4().hex + stmt) if tagged else stmt
    return json.dumps({'stmt': s, 'bulk_args': rows}).encode()
res = {True: [], False: []}; rt = {True: [], False: []}
for i in range(300):
    for tagged in (False, True):
        b = body(tagged)
        t = time.perf_counter(); r = q(b); rt[tagged].append((time.perf_counter() - t) * 1000)
        if i >= 50: res[tagged].append(r['duration'])
for tagged in (False, True):
    print('tagged' if tagged else 'plain ', 'server duration median %.2f ms, p25 %.2f, round trip median %.2f ms' % (
        statistics.median(res[tagged]), statistics.quantiles(res[tagged], n=4)[0], statistics.median(rt[tagged][50:])))
# small point query too
for tagged in (False, True):
    d = []
    for i in range(2000):
        s = ('/* crate-reactive:%s */ ' % uuid.uuid4().hex if tagged else '') + f'SELECT id, label, val FROM crate_reactive_bench.w1_big WHERE id = ?'
        r = q(json.dumps({'stmt': s, 'args': [random.randint(0, 999999)]}).encode())
        if i > 500: d.append(r['duration'])
    print('point', 'tagged' if tagged else 'plain ', 'server duration median %.3f ms' % statistics.median(d))
q(json.dumps({'stmt': f'DROP TABLE {T}'}))
