#!/usr/bin/env python3
"""Shares of one thread's async-profiler samples (collapsed stacks) by the deepest recognised frame.

Usage: collapsed-shares.py <file.collapsed> [thread name prefix, default "[crate-reactive-io"]"""
import collections
import sys

# (category, substring of a frame): the first rule matching the deepest frame that any rule matches wins.
RULES = [
    ("encode:deflate", "Deflater"), ("encode:json", "RequestEncoder"), ("encode:bodysink", "BodySink"),
    ("decode:bulkresults", "BulkResultsReader"), ("decode:ResponseDecoder", "ResponseDecoder"),
    ("kernel:write", "writev"), ("kernel:write", "sendto"),
    ("kernel:read", "recvfrom"), ("kernel:read", "readv"), ("kernel:read", "read_[k]"),
    ("kernel:epoll_wait", "epoll_wait"), ("kernel:epoll_ctl", "epoll_ctl"),
    ("httpcodec", "HttpObjectEncoder"), ("httpcodec", "HttpObjectDecoder"),
    ("rn:FluxReceive", "FluxReceive"), ("rn:pool-acquire", "PooledConnectionProvider"), ("rn:pool", "reactor/pool"),
    ("rn:connect", "HttpClientConnect"), ("rn:ops", "ChannelOperations"),
    ("ours:BodyRows", "BodyRows"), ("ours:SqlExchange", "SqlExchange"), ("ours:router", "routing/"),
    ("reactor", "reactor/core"), ("netty", "io/netty"),
    ("jvm", "Interpreter"), ("jvm", "adapters"), ("jvm", "stub"),
]


def category(stack):
    for frame in reversed(stack.split(";")):
        for name, key in RULES:
            if key in frame:
                return name
    return "other"


def main(path, thread):
    total = 0
    shares = collections.Counter()
    with open(path) as collapsed:
        for line in collapsed:
            stack, samples = line.rstrip().rsplit(" ", 1)
            if stack.startswith(thread):
                total += int(samples)
                shares[category(stack)] += int(samples)
    for name, samples in shares.most_common():
        print(f"{name:26s} {100 * samples / total:5.1f}%")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "[crate-reactive-io")
