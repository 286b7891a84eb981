"""Thin Rasa custom actions: tracker slots in, service calls, events and replies out."""
