"""Loading: bytes -> YAML nodes with marks (bounded) -> schema check -> model.

``load_file`` is the one entry point; it never raises for anything a user can
put in a file, and returns the journeys it could build with the JL001/JL002
findings that say what it could not.
"""
from .pipeline import LoadedFile, Limits, load_file

__all__ = ["LoadedFile", "Limits", "load_file"]
