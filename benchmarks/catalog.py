"""Every benchmark workload: the first set (``workloads.py``) and the styles set
(``styles.py``), sorted by name."""

from __future__ import annotations

from styles import STYLE_WORKLOADS
from workloads import LOOP_WORKLOADS, WORKLOADS, Workload

ALL: list[Workload] = sorted(WORKLOADS + LOOP_WORKLOADS + STYLE_WORKLOADS,
                             key=lambda w: w.name)
