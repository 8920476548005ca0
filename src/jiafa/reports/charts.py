"""The annual report's charts as PNG images (matplotlib, no display). Chinese labels need a CJK font: the
first installed one of CJK_FONTS is used (Debian: fonts-noto-cjk); without one the report leaves the charts
out and says so, rather than printing empty boxes for every character."""

from __future__ import annotations

import io
from functools import cache
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import font_manager

CJK_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei")
NO_FONT_NOTE = "未找到中文字体，图表从略。安装中文字体（Debian：fonts-noto-cjk）后重新生成即可附图。"
BLUE, TEAL, RED = "#2563eb", "#0d9488", "#dc2626"


@cache
def cjk_font() -> str | None:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _png(fig: Any) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    return out.getvalue()


def _axes(title: str, size: tuple[float, float] = (7.5, 3.4)) -> tuple[Any, Any]:
    font = cjk_font()
    plt.rcParams["font.family"] = [font] if font else ["DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    fig, ax = plt.subplots(figsize=size)
    ax.set_title(title, fontsize=12)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def monthly(by_month: list[dict[str, Any]]) -> bytes:
    fig, ax = _axes("各月行政处罚案件")
    labels = [r["label"] for r in by_month]
    ax.bar(labels, [r["penalty"] for r in by_month], color=BLUE, label="行政处罚案件")
    ax.bar(labels, [r["non_site"] for r in by_month], color=TEAL, width=0.45, label="其中非现场")
    ax.set_ylabel("起")
    ax.legend(frameon=False, fontsize=9)
    return _png(fig)


def ranked(title: str, rows: list[dict[str, Any]], unit: str, limit: int = 10) -> bytes:
    shown = list(reversed(rows[:limit]))
    fig, ax = _axes(title, (7.5, max(1.8, 0.42 * len(shown) + 0.9)))
    bars = ax.barh([str(r["label"])[:18] for r in shown], [r["n"] for r in shown], color=BLUE)
    ax.bar_label(bars, padding=3, fontsize=9)
    ax.set_xlabel(unit)
    return _png(fig)


def bands(rows: list[dict[str, Any]]) -> bytes:
    fig, ax = _axes("疑似超限线索按超限率分档", (7.5, 3.0))
    bars = ax.bar([r["label"] for r in rows], [r["n"] for r in rows], color=[BLUE] * (len(rows) - 1) + [RED])
    ax.bar_label(bars, padding=2, fontsize=9)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("条")
    return _png(fig)
