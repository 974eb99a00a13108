"""Kroniek: news in, evidence-backed events of political violence out."""
__version__ = "0.1.0"
