"""Shared by the examples that draw a plot: pyplot when matplotlib is installed, and
saving a figure under examples/output/. Not an example itself."""

from __future__ import annotations

from pathlib import Path

OUTPUT = Path(__file__).parent / "output"


def pyplot(what: str):
    """``matplotlib.pyplot`` (drawing to files only), or None after saying that ``what``
    was skipped when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"matplotlib is not installed: {what} was skipped")
        return None
    return plt


def save(fig, name: str, what: str) -> None:
    """Write ``fig`` to examples/output/``name`` and close it."""
    import matplotlib.pyplot as plt

    OUTPUT.mkdir(parents=True, exist_ok=True)
    fig.savefig(OUTPUT / name, dpi=100)
    plt.close(fig)
    print(f"{what} saved to {OUTPUT / name}")
