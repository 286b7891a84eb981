"""Jaga: a Telegram bot against deceptive recruitment and trafficking into scam compounds."""
