"""Amina's library: pure helpers every layer may use (tables, Arabic text, translation,
paging, exports, downloads, uploads, forms, command and extension-point registries).

It imports no other Amina package (``.importlinter``): Django, DRF and third-party
libraries only, so any app can build on it and nothing in it depends on an app.
"""
