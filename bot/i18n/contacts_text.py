"""Contacts rendered as message text, each number with the date its source published it."""

from __future__ import annotations

from bot.i18n.names import country_name
from bot.i18n.responses import Renderer
from bot.services.contacts import Contact, ContactSelection


def contact_lines(contact: Contact, renderer: Renderer, language: str) -> str:
    """One contact: name and city, phones, WhatsApp, email, and the source date."""
    lines = [contact.name + (f", {contact.city}" if contact.city and contact.city not in
                             contact.name else "")]
    lines += [f"📞 {phone}" for phone in contact.phones]
    if contact.whatsapp:
        lines.append(f"WhatsApp {contact.whatsapp}")
    if contact.email:
        lines.append(f"✉️ {contact.email}")
    if contact.source_date:
        lines.append(renderer.text("msg_contact_date", language, date=contact.source_date))
    else:
        lines.append(renderer.text("msg_contact_no_date", language))
    return "\n".join(lines)


def selection_text(selection: ContactSelection, renderer: Renderer, language: str,
                   max_missions: int = 3) -> str:
    """The contacts of a selection as one text, most specific first."""
    parts: list[str] = []
    nationality = selection.nationality
    host = selection.host_country
    if nationality and host and selection.missions:
        parts.append(renderer.text("msg_contacts_for", language,
                                   nationality=country_name(nationality, language),
                                   country=country_name(host, language)))
        parts += [contact_lines(c, renderer, language) for c in
                  selection.missions[:max_missions]]
    if selection.national_hotlines:
        parts.append(renderer.text("msg_contacts_national", language,
                                   nationality=country_name(nationality or "", language)))
        parts += [contact_lines(c, renderer, language) for c in selection.national_hotlines]
    if nationality and host and not selection.missions and host != nationality:
        parts.append(renderer.text("msg_no_mission", language,
                                   nationality=country_name(nationality, language),
                                   country=country_name(host, language)))
    if selection.host_hotlines:
        parts.append(renderer.text("msg_contacts_host", language,
                                   country=country_name(host or "", language)))
        parts += [contact_lines(c, renderer, language) for c in selection.host_hotlines]
    if not parts and nationality:
        parts.append(renderer.text("msg_no_contacts", language,
                                   nationality=country_name(nationality, language)))
    return "\n\n".join(parts)
