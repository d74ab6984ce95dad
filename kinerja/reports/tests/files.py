"""Reading issued PDFs back as a person would: text per page, the QR codes a phone would scan."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

SCAN_DPI = 150  # a phone photo of a printed page is sharper than this


def page_count(content: bytes) -> int:
    done = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True)
    for line in done.stdout.decode().splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo names no page count")


def page_text(content: bytes, page: int) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode()


def qr_codes(content: bytes, page: int) -> list[str]:
    """The texts of the QR codes zxing-cpp finds on ``page`` rasterised by pdftoppm."""
    import zxingcpp
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(content)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(SCAN_DPI),
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(source),
                str(Path(tmp) / "page"),
            ],
            check=True,
            capture_output=True,
        )
        with Image.open(Path(tmp) / "page.png") as image:
            return [
                b.text
                for b in zxingcpp.read_barcodes(image)
                if b.format == zxingcpp.BarcodeFormat.QRCode
            ]
