"""Phone and WhatsApp numbers, e-mail and Instagram as staff write them, and the links they give.

Shared by the schema (check/schema.py says what is wrong, in plain words) and the templates
(`tel:`, `https://wa.me/<digits>`, `mailto:`, the Instagram page). Numbers are written the
Indonesian way ("(0266) 123456", "0812-3456-7890") or in international form ("+62 812 3456
7890"); what a page shows is what staff wrote, and only the link is normalised.
"""

from __future__ import annotations

import re

NUMBER_CHARS = re.compile(r"\+?[0-9() -]+")  # a leading '+', then digits, spaces, '-' and brackets
PHONE_DIGITS = (3, 15)  # a short service number (112, 1500 400) up to E.164's longest
WHATSAPP_DIGITS = (10, 15)  # international form: the country code and the number
COUNTRY_CODE = "62"  # Indonesia: a number written 0812… is +62 812…
EMAIL = re.compile(r"[^@\s<>\"'(),;:]+@[^@\s<>\"'(),;:]+\.[A-Za-z]{2,}")
INSTAGRAM = re.compile(r"(?:https?://(?:www\.)?instagram\.com/)?@?([A-Za-z0-9._]{1,30})/?")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".svg")  # the images attachments.py publishes


def digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def number_problem(number: str, whatsapp: bool = False) -> tuple[str, dict[str, object]] | None:
    """The message key and its parameters when `number` is not a phone (or WhatsApp) number
    a link can dial; None when it is."""
    if not NUMBER_CHARS.fullmatch(number.strip()) or not digits(number):
        return "phone_chars", {"value": number}
    if whatsapp:
        international = whatsapp_number(number)
        if international is None:
            return "whatsapp_form", {"value": number}
        low, high = WHATSAPP_DIGITS
        if not low <= len(international) <= high:
            return "whatsapp_length", {"value": number, "count": len(international), "low": low, "high": high}
        return None
    low, high = PHONE_DIGITS
    if not low <= len(digits(number)) <= high:
        return "phone_length", {"value": number, "count": len(digits(number)), "low": low, "high": high}
    return None


def tel_href(number: str) -> str:
    """`tel:` and the digits, with the '+' of an international number kept."""
    return "tel:" + ("+" if number.strip().startswith("+") else "") + digits(number)


def whatsapp_number(number: str) -> str | None:
    """The international digits wa.me needs ("0812-3456-7890" -> "6281234567890"), or None for
    a number whose country is unknown (neither '+…' nor '0…' nor '62…')."""
    written, found = number.strip(), digits(number)
    if written.startswith("+"):
        return found if found and not found.startswith("0") else None
    if found.startswith("0") and not found.startswith("00"):
        return COUNTRY_CODE + found[1:]
    if found.startswith(COUNTRY_CODE):
        return found
    return None


def whatsapp_href(number: str) -> str:
    return f"https://wa.me/{whatsapp_number(number) or digits(number)}"


def email_problem(address: str) -> tuple[str, dict[str, object]] | None:
    return None if EMAIL.fullmatch(address.strip()) else ("email_form", {"value": address})


def instagram_handle(account: str) -> str | None:
    """The account name of "@mppkota", "mppkota" or "https://www.instagram.com/mppkota/"."""
    match = INSTAGRAM.fullmatch(account.strip())
    return match.group(1) if match else None


def instagram_href(account: str) -> str:
    return f"https://www.instagram.com/{instagram_handle(account) or account.strip('@ /')}/"


def instagram_problem(account: str) -> tuple[str, dict[str, object]] | None:
    return None if instagram_handle(account) else ("instagram_form", {"value": account})


def links(contact: dict[str, str]) -> list[tuple[str, str, str]]:
    """The mall's contact as (kind, words shown, link), in the order pages list them: phone,
    WhatsApp, e-mail, Instagram; those not given left out."""
    makers = {"phone": lambda value: (value, tel_href(value)),
              "whatsapp": lambda value: (value, whatsapp_href(value)),
              "email": lambda value: (value, f"mailto:{value}"),
              "instagram": lambda value: (f"@{instagram_handle(value) or value}", instagram_href(value))}
    return [(kind, *make(contact[kind])) for kind, make in makers.items() if contact.get(kind)]
