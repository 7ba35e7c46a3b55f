"""Pinning the strategy process to one core, next to the engine's pinned threads (docs/engine.md)."""

from __future__ import annotations

import os

from cwts.errors import CwtsError

__all__ = ["pin"]


def _parse_cpu_list(text: str) -> set[int]:
    cores: set[int] = set()
    for part in text.strip().split(","):
        if not part:
            continue
        low, _, high = part.partition("-")
        cores.update(range(int(low), int(high or low) + 1))
    return cores


def _allowed_cores() -> list[int]:
    """Cores this process may be pinned to: the cgroup's cpuset if any, else the online CPUs."""
    for path in ("/sys/fs/cgroup/cpuset.cpus.effective", "/sys/devices/system/cpu/online"):
        try:
            with open(path) as file:
                cores = _parse_cpu_list(file.read())
        except (OSError, ValueError):
            continue
        if cores:
            return sorted(cores)
    return list(range(os.cpu_count() or 1))


def pin(core: int) -> None:
    """Pins the calling process to one CPU core (os.sched_setaffinity(0, {core}))."""
    allowed = _allowed_cores()
    if isinstance(core, bool) or not isinstance(core, int) or core not in allowed:
        raise CwtsError(f"cannot pin to core {core!r}: this process may run on cores {allowed}; pass one of them")
    try:
        os.sched_setaffinity(0, {core})
    except OSError as error:
        raise CwtsError(
            f"cannot pin to core {core}: {error.strerror}; this process may run on cores {allowed} "
            f"(currently {sorted(os.sched_getaffinity(0))})"
        ) from error
