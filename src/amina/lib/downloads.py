from django.http import HttpResponse

from amina.lib.exports import CONTENT_TYPES, EXTENSIONS


def file_response(content: bytes, fmt: str, basename: str) -> HttpResponse:
    """An attachment download; the file name never carries personal data."""
    response = HttpResponse(
        content, content_type=CONTENT_TYPES.get(fmt, "application/octet-stream")
    )
    suffix = "-hxl" if fmt == "hxl" else ""
    response["Content-Disposition"] = f'attachment; filename="{basename}{suffix}.{EXTENSIONS[fmt]}"'
    return response
