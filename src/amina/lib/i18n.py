"""Text in the reader's language: one rule for every model, every stored sentence and
every list.

- ``localised(en, ar, ckb)``: a record's English, Arabic or Kurdish name, by the active
  language (Kurdish readers fall back to the Arabic name, then the English).
- ``Message``: a sentence kept as its English msgid and its parameters, translated when it
  is shown. Import problems and job labels and failures are stored (in a job's row, a
  staging table) and read later, perhaps by someone else in another language: an import
  started by an English user reads in Arabic to an Arabic user. So they are never stored
  translated; they are stored as ``Message.as_data()`` and rendered with ``render``.
- ``join_list``: items joined with the comma of the active language ("، " in Arabic and
  Kurdish).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import (
    get_language,
    get_language_bidi,
    gettext,
    gettext_noop,
    override,
)

from amina.lib import numbers

#: The months as Iraqi (Levantine) Arabic names them — "حزيران", not Django's "يونيو" —
#: so that the project catalogue can give them; ``DATE_FORMAT`` ("j F Y") shows them.
MONTHS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)


def in_arabic() -> bool:
    return (get_language() or "").startswith("ar")


def in_kurdish() -> bool:
    return (get_language() or "").startswith("ckb")


def right_to_left() -> bool:
    """Whether the active language is written right to left (Arabic, Kurdish): Django's
    own list (``LANGUAGES_BIDI``), never a test of one language code."""
    return get_language_bidi()


def list_comma() -> str:
    """The comma between items in the active language: Arabic and Kurdish use "،"."""
    return "، " if right_to_left() else ", "


def localised(en: str, ar: str, ckb: str = "") -> str:
    """A record's text in the reader's language: the Arabic on Arabic pages when there is
    one; on Kurdish pages the Kurdish, else the Arabic (the officials of the Kurdistan
    Region read it), else the English; the English otherwise."""
    if in_kurdish():
        return ckb or ar or en
    return ar if in_arabic() and ar else en


def localised_field(record: Any, field: str = "name") -> str:
    """``localised`` of a record's ``<field>_en``, ``<field>_ar`` and ``<field>_ckb``."""
    return localised(
        getattr(record, f"{field}_en", "") or "",
        getattr(record, f"{field}_ar", "") or "",
        getattr(record, f"{field}_ckb", "") or "",
    )


def join_list(items: Iterable[Any]) -> str:
    """Items as text, joined with the list comma of the active language."""
    return list_comma().join(render(item) for item in items)


def _text(value: Any) -> str:
    """A parameter as it is shown: counts grouped by thousands as the pages print them
    (``amina.lib.numbers``), lists joined, messages translated."""
    if isinstance(value, bool) or value is None:
        return render(value)
    if isinstance(value, int):
        return numbers.figure(value)
    if isinstance(value, list | tuple):
        return join_list(value)
    return render(value)


class Name:
    """A record's name in every language, as a message parameter: shown in the reader's
    (``localised``), stored as ``{"en": ..., "ar": ..., "ckb": ...}`` (``ckb`` only when
    there is one, so that what was stored before Kurdish reads back the same)."""

    __slots__ = ("ar", "ckb", "en")

    def __init__(self, en: str, ar: str = "", ckb: str = "") -> None:
        self.en, self.ar, self.ckb = str(en or ""), str(ar or ""), str(ckb or "")

    @classmethod
    def of(cls, record: Any) -> Name:
        """The name of a record with ``name_en`` (or ``name``), ``name_ar`` and
        ``name_ckb``."""
        en = getattr(record, "name_en", None) or getattr(record, "name", "")
        return cls(en, getattr(record, "name_ar", ""), getattr(record, "name_ckb", ""))

    def __str__(self) -> str:
        return localised(self.en, self.ar, self.ckb)

    def __repr__(self) -> str:
        return f"Name({self.en!r}, {self.ar!r}, {self.ckb!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Name) and (self.en, self.ar, self.ckb) == (
            other.en,
            other.ar,
            other.ckb,
        )

    def __hash__(self) -> int:
        return hash((self.en, self.ar, self.ckb))


class Message:
    """A sentence to show a person, kept as its English msgid and parameters and translated
    when shown (``str()``), in the language active then.

    Mark the msgid with ``gettext_noop`` so that the catalogues find it::

        Message(gettext_noop("'%(value)s' is not a whole number"), value=raw)

    Parameters are text, numbers (shown grouped by thousands), ``None``, other messages or
    lists of those (joined by ``join_list``); they are not translated, except messages.
    """

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, /, **params: Any) -> None:
        self.msgid = str(msgid)
        self.params = {key: _plain(value) for key, value in params.items()}

    def __str__(self) -> str:
        if not self.msgid:
            return ""
        translated = gettext(self.msgid)
        if not self.params:
            return translated
        return translated % {key: _text(value) for key, value in self.params.items()}

    def __mod__(self, params: Mapping[str, Any]) -> Message:
        """``_("%(n)s rows") % {"n": 3}``, as with gettext, but kept to be translated later."""
        return Message(self.msgid, **{**self.params, **params})

    def english(self) -> str:
        """The sentence in English: for logs, the command line and ``Job.error``."""
        with override("en"):
            return str(self)

    def as_data(self) -> dict:
        """What is stored (JSON): ``{"msgid": ..., "params": {...}}``."""
        return {"msgid": self.msgid, "params": {k: _data(v) for k, v in self.params.items()}}

    @classmethod
    def of(cls, text: Any, params: Mapping[str, Any] | None = None) -> Message | str:
        """Text as a message when it can be kept one: a ``Message``, or ``gettext_lazy``
        text (a ``ValidationError``'s, with its ``params``); anything else as text now."""
        if isinstance(text, Message):
            return text % params if params else text
        if isinstance(text, Promise):
            msgid = _lazy_msgid(text)
            if msgid is not None:
                return cls(msgid, **(params or {}))
            text = str(text)
        return str(text) % params if params else str(text)

    @classmethod
    def from_data(cls, data: Any) -> Message | str:
        """A message back from ``as_data`` (a plain string stays a string)."""
        if isinstance(data, Mapping) and "msgid" in data:
            params = {k: _undata(v) for k, v in (data.get("params") or {}).items()}
            return cls(data["msgid"], **params)
        return "" if data is None else str(data)

    def __contains__(self, text: str) -> bool:
        """Whether the sentence, as shown now, contains ``text`` (as a string would)."""
        return text in str(self)

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Message):
            return (self.msgid, self.params) == (other.msgid, other.params)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.msgid, json.dumps(self.as_data()["params"], sort_keys=True)))


def _lazy_msgid(text: Promise) -> str | None:
    """The msgid of ``gettext_lazy(msgid)``, read through its pickling (Django's documented
    way of rebuilding lazy text); None for any other lazy text."""
    try:
        _rebuild, (func, args, kw, *_types) = text.__reduce__()
    except (TypeError, ValueError):
        return None
    if func is gettext and len(args) == 1 and not kw and isinstance(args[0], str):
        return args[0]
    return None


def gettext_deferred(msgid: str) -> Message:
    """The ``_`` of a module whose sentences are stored before anyone reads them (import
    problems, job texts): ``_("row %(n)s") % {"n": 3}`` is a ``Message``, translated when
    shown. Bound to ``_`` so that makemessages finds the msgid::

        from amina.lib.i18n import gettext_deferred as _
    """
    return Message(msgid)


def _plain(value: Any) -> Any:
    """A parameter kept as it can be stored: lazy text becomes text now."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Message | Name | int | float | str) or value is None:
        return value
    return str(value)


def _data(value: Any) -> Any:
    if isinstance(value, Message):
        return value.as_data()
    if isinstance(value, Name):
        return {"en": value.en, "ar": value.ar, **({"ckb": value.ckb} if value.ckb else {})}
    if isinstance(value, list):
        return [_data(v) for v in value]
    return value


def _undata(value: Any) -> Any:
    if isinstance(value, Mapping) and "msgid" in value:
        return Message.from_data(value)
    if isinstance(value, Mapping) and "en" in value:
        return Name(value["en"], value.get("ar", ""), value.get("ckb", ""))
    if isinstance(value, list):
        return [_undata(v) for v in value]
    return value


def render(value: Any) -> str:
    """Any stored text in the active language: a ``Message``, its stored form, lazy text,
    a plain string (shown as it is), ``None`` as "—"; ``True``/``False`` as yes/no."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, Mapping) and "msgid" in value:
        value = Message.from_data(value)
    return str(value)


def as_data(value: Any) -> Any:
    """A message (or plain text) as it is stored in JSON."""
    return _data(_plain(value))


def json_default(value: Any) -> Any:
    """``json.dumps(..., default=json_default)``: messages and names as they are stored."""
    if isinstance(value, Message | Name):
        return _data(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
