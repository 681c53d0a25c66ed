"""Measuring instruments: wall time, peak RSS, queries and the slowest ones,
and time spent per engine method."""

import contextlib
import functools
import re
import resource
import time
from collections import defaultdict

import psutil

_active = []


def rss_mb():
    return psutil.Process().memory_info().rss / 2**20


def peak_rss_mb():
    """Peak resident memory of this process so far (Linux: ru_maxrss in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Capture:
    """Queries run while active: count, time by statement shape, statements
    matching a pattern (e.g. writes to res_partner)."""

    def __init__(self, watch=None):
        self.count = 0
        self.by_shape = defaultdict(lambda: [0, 0.0])
        self.watch = re.compile(watch, re.I | re.S) if watch else None
        self.watched = []

    def record(self, query, seconds):
        self.count += 1
        text = query if isinstance(query, str) else str(query)
        shape = " ".join(text.split())[:110]
        entry = self.by_shape[shape]
        entry[0] += 1
        entry[1] += seconds
        if self.watch and self.watch.search(text):
            self.watched.append(" ".join(text.split())[:160])

    def slowest(self, top=8):
        ranked = sorted(self.by_shape.items(), key=lambda item: -item[1][1])
        return [
            {"query": shape, "calls": calls, "seconds": round(seconds, 3)}
            for shape, (calls, seconds) in ranked[:top]
        ]


def install_cursor_hook():
    """Wrap Odoo's Cursor.execute once; captures listen while active."""
    from odoo import sql_db

    if getattr(sql_db.Cursor.execute, "_bench", False):
        return
    original = sql_db.Cursor.execute

    @functools.wraps(original)
    def execute(self, query, params=None, log_exceptions=True):
        if not _active:
            return original(self, query, params, log_exceptions)
        started = time.perf_counter()
        try:
            return original(self, query, params, log_exceptions)
        finally:
            elapsed = time.perf_counter() - started
            for capture in _active:
                capture.record(query, elapsed)

    execute._bench = True
    sql_db.Cursor.execute = execute


@contextlib.contextmanager
def capturing(watch=None):
    capture = Capture(watch)
    _active.append(capture)
    try:
        yield capture
    finally:
        _active.remove(capture)


class StepTimer:
    """Time spent in named methods of registry model classes (outermost call)."""

    def __init__(self):
        self.seconds = defaultdict(float)
        self.calls = defaultdict(int)

    def wrap(self, env, model, names):
        if model not in env:
            return
        cls = type(env[model])
        for name in names:
            if hasattr(cls, name):
                setattr(cls, name, self._timed(f"{model}.{name}", getattr(cls, name)))

    def _timed(self, label, method):
        timer = self

        @functools.wraps(method)
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                timer.seconds[label] += time.perf_counter() - started
                timer.calls[label] += 1

        return timed

    def report(self):
        return {
            label: {"seconds": round(seconds, 3), "calls": self.calls[label]}
            for label, seconds in sorted(self.seconds.items(), key=lambda i: -i[1])
        }
