"""The only place that imports ``telegram``: wiring, handlers, rendering of replies."""
