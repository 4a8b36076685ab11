"""psetbench's version, recorded in every log and report; the stages read it from here."""

__version__ = "0.1.0"
