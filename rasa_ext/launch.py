"""Rasa's command line with Jaga's speed-ups installed (``python -m rasa_ext.launch run ...``).

The app starts the Rasa server through this module instead of the ``rasa`` script, so the
speed-ups in :mod:`rasa_ext.speedups` apply in the server process; arguments are Rasa's own.
"""

from __future__ import annotations

from rasa_ext import speedups


def main() -> None:
    speedups.install()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
