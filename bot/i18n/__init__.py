"""Languages: negotiation, detection, Zawgyi conversion, and rendering of responses."""
