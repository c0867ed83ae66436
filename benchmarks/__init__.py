"""Tansiq's benchmarks: one module per capability, each measured against its budget in DESIGN.md.

``make bench`` (``python -m benchmarks``) runs every module in this package whose name does not start
with an underscore. A module exposes ``run(ctx) -> list[Result]``; ``ctx`` is a
:class:`benchmarks._harness.Context` (which databases, ``--quick``, a fresh database per call) and a
``Result`` is one row of the table. See docs/performance.md.
"""
