"""The contact fields staff write (phone, WhatsApp, e-mail, Instagram, a logo), checked so that
every link a page makes of them works: a number a `tel:` link can dial, a WhatsApp number in a
form wa.me understands. The rules themselves are core/contact.py's (the templates use them too).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, PlainValidator, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from mppsite.core import contact, formats


def _written(value: Any) -> str:
    """A number typed without quotes (`phone: 62266123456`) is read as it was typed."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value.strip():
        raise PydanticCustomError("text_empty" if isinstance(value, str) else "phone_chars", "bad",
                                  {"value": value})
    return value.strip()


def _checked(found: tuple[str, dict[str, Any]] | None, value: str) -> str:
    if found is not None:
        raise PydanticCustomError(found[0], found[0], found[1])
    return value


def check_phone(value: Any) -> str:
    """A phone number a `tel:` link can dial; shown as written."""
    value = _written(value)
    return _checked(contact.number_problem(value), value)


def check_whatsapp(value: Any) -> str:
    """A WhatsApp number that gives a wa.me link (international form: known country)."""
    value = _written(value)
    return _checked(contact.number_problem(value, whatsapp=True), value)


def check_email(value: Any) -> str:
    value = _written(value)
    return _checked(contact.email_problem(value), value)


def check_instagram(value: Any) -> str:
    value = _written(value)
    return _checked(contact.instagram_problem(value), value)


def check_image(value: str) -> str:
    """A logo is shown as an image: PNG, JPEG, WebP or SVG."""
    if not value.lower().endswith(contact.IMAGE_SUFFIXES):
        raise PydanticCustomError("logo_not_image", "not an image", {"value": value})
    return value


_NUMBER_JSON = {"type": "string", "pattern": r"^\s*\+?[0-9() -]+\s*$"}
Phone = Annotated[str, PlainValidator(check_phone), WithJsonSchema(_NUMBER_JSON)]
WhatsApp = Annotated[str, PlainValidator(check_whatsapp), WithJsonSchema(_NUMBER_JSON)]
Email = Annotated[str, PlainValidator(check_email), WithJsonSchema({"type": "string", "format": "email"})]
Instagram = Annotated[str, PlainValidator(check_instagram), WithJsonSchema({"type": "string"})]
ImageRef = Annotated[str, StringConstraints(pattern=formats.FILE_PATTERN), AfterValidator(check_image),
                     WithJsonSchema({"type": "string", "pattern": formats.FILE_PATTERN})]
