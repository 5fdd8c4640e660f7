"""Render page 1 of the demo bulletin, of 附件1 and of the findings example's first 整改通知 to PNG for the README.

Needs LibreOffice and pdftoppm.

python tools/render_docs.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pygk.publish.outputs import annex_pdf, bulletin, notices  # noqa: E402

DOCS = ROOT / "docs"
DPI = "70"


def render(pdf: Path, target: Path) -> None:
    """Page 1 of a PDF as a PNG."""
    stem = target.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", DPI, "-png", "-singlefile", str(pdf), str(stem)], check=True
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        book = Path(folder) / "demo.xlsx"
        shutil.copyfile(ROOT / "workbook" / "政务公开通报.xlsx", book)
        _, written, _ = bulletin(book, pdf=True)
        render(written[1], DOCS / "bulletin-page1.png")
        _, annexes, _ = annex_pdf(book)
        render(annexes, DOCS / "annex1-page1.png")
        example = Path(folder) / "example.xlsx"
        shutil.copyfile(ROOT / "workbook" / "examples" / "扣分示例.xlsx", example)
        _, written, _ = notices(example, pdf=True)
        render(written[1], DOCS / "notice-page1.png")


if __name__ == "__main__":
    main()
