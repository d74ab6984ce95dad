"""Reading issued PDFs back as a person would: text per page, the QR codes a phone would scan."""

from __future__ import annotations

import io
import subprocess

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
    """The texts of the QR codes zxing-cpp finds on ``page`` rasterised as a phone would see it."""
    import zxingcpp
    from PIL import Image

    from kinerja.surveys.reports import pdf_to_png

    with Image.open(io.BytesIO(pdf_to_png(content, SCAN_DPI, page))) as image:
        return [
            b.text
            for b in zxingcpp.read_barcodes(image)
            if b.format == zxingcpp.BarcodeFormat.QRCode
        ]
