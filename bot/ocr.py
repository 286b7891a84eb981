"""Reads the text of a screenshot with Tesseract (the ``tesseract`` command, Debian packages).

An edge module: it runs a program. Without Tesseract, :func:`available` is False and the bot
asks for the text instead.
"""

from __future__ import annotations

import asyncio
import shutil

TESSERACT_LANGUAGE = {"en": "eng", "id": "ind", "tl": "fil", "vi": "vie", "my": "mya",
                      "km": "khm", "th": "tha", "lo": "lao"}
TIMEOUT_SECONDS = 60
MAX_IMAGE_BYTES = 10 * 1024 * 1024


class OcrError(RuntimeError):
    """The image could not be read."""


def available() -> bool:
    return shutil.which("tesseract") is not None


def languages_for(language: str) -> str:
    """The user's language first, then English (ads mix both); Tesseract's codes."""
    codes = [TESSERACT_LANGUAGE.get(language, "eng")]
    if "eng" not in codes:
        codes.append("eng")
    return "+".join(codes)


async def read_text(image: bytes, language: str) -> str:
    """The text Tesseract finds in ``image`` (PNG/JPEG bytes); raises :class:`OcrError`."""
    if not available():
        raise OcrError("tesseract is not installed")
    if not image or len(image) > MAX_IMAGE_BYTES:
        raise OcrError("image empty or too large")
    process = await asyncio.create_subprocess_exec(
        "tesseract", "stdin", "stdout", "-l", languages_for(language), "--psm", "3",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(process.communicate(image), TIMEOUT_SECONDS)
    except TimeoutError as exc:
        process.kill()
        await process.wait()
        raise OcrError("tesseract took too long") from exc
    if process.returncode != 0:
        raise OcrError(err.decode(errors="replace")[-300:])
    lines = [line.strip() for line in out.decode(errors="replace").splitlines()]
    return "\n".join(line for line in lines if line)
