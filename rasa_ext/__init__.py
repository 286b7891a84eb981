"""Custom Rasa components (run inside the Rasa server's Python 3.10 environment)."""
