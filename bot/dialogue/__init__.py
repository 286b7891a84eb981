"""The only place that knows Rasa's REST contract: client, reply conversion, server process."""
