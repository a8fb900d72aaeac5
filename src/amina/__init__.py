"""Amina: the information system of a displacement-crisis response."""
