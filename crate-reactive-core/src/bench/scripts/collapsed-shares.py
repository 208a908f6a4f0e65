#!/usr/bin/env python3
"""Shares of one thread's async-profiler samples (collapsed stacks) by the deepest recognised frame.

Usage: collapsed-shares.py <file.collapsed> [thread-name-prefix, default [crate-reactive-io]"""
import collections
import sys

f=sys.argv[1]; thread=sys.argv[2] if len(sys.argv)>2 else '[crate-reactive-io'
tot=0; cats=collections.Counter()
rules=[("encode:deflate","Deflater"),("encode:json","RequestEncoder"),("encode:bodysink","BodySink"),
("decode:bulkresults","BulkResultsReader"),("decode:ResponseDecoder","ResponseDecoder"),
("kernel:write","writev"),("kernel:write","sendto"),("kernel:read","recvfrom"),("kernel:read","readv"),("kernel:read","read_[k]"),("kernel:epoll_wait","epoll_wait"),("kernel:epoll_ctl","epoll_ctl"),
("httpcodec","HttpObjectEncoder"),("httpcodec","HttpObjectDecoder"),
("rn:FluxReceive","FluxReceive"),("rn:pool-acquire","PooledConnectionProvider"),("rn:pool","reactor/pool"),
("rn:connect","HttpClientConnect"),("rn:ops","ChannelOperations"),("ours:BodyRows","BodyRows"),("ours:SqlExchange","SqlExchange"),("ours:router","routing/"),
("reactor","reactor/core"),("netty","io/netty"),("jvm","Interpreter"),("jvm","adapters"),("jvm","stub")]
for line in open(f):
    stack,n=line.rstrip().rsplit(' ',1); n=int(n)
    if not stack.startswith(thread): continue
    tot+=n; c='other'
    for fr in reversed(stack.split(';')):
        m=[name for name,key in rules if key in fr]
        if m: c=m[0]; break
    cats[c]+=n
for c,n in cats.most_common(): print(f"{c:26s} {100*n/tot:5.1f}%")
