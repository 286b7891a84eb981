"""Pure domain logic: no Telegram, Rasa, database or network imports."""
