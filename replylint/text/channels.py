"""Helpdesk channel names → replylint's four channels (email, chat, social, sms).

Webhooks (`service.adapters`) and exports (`batch`) name the channel a reply goes out on in each
helpdesk's own words ("native_messaging", "instagram-comment", "web_form"…); the checks know four.
"""

from __future__ import annotations

# Helpdesk channel names → replylint channels. Unknown channels fall back to email.
_CHANNELS: dict[str, str] = {
    "email": "email", "web": "email", "web_form": "email", "web_service": "email", "help_center": "email",
    "mobile": "email", "mobile_sdk": "email", "api": "email", "mail": "email", "portal": "email",
    "outbound email": "email", "contact_form": "email", "help-center": "email", "feedback widget": "email",
    "chat": "chat", "native_messaging": "chat", "messaging": "chat", "chat_transcript": "chat",
    "whatsapp": "chat", "facebook-messenger": "chat", "instagram-direct-message": "chat",
    "beacon": "chat", "livechat": "chat", "google-business-messages": "chat", "custom-chat": "chat",
    "twitter": "social", "twitter-direct-message": "social", "facebook": "social", "instagram": "social",
    "instagram-comment": "social", "instagram-ad-comment": "social", "facebook-mention": "social",
    "yotpo-review": "social", "any_channel": "social", "instagram-mention": "social",
    "facebook-recommendations": "social", "tiktok-shop": "chat",
    "sms": "sms", "phone": "sms", "voice": "sms", "text": "sms", "aircall": "sms",
}


def helpdesk_channel(value: object) -> str | None:
    """The replylint channel of a helpdesk's channel name (unknown names are e-mail); None for no name."""
    if not isinstance(value, str):
        return None
    return _CHANNELS.get(value.strip().lower(), "email")
