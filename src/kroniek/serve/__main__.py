"""`python -m kroniek.serve`: the same as `kroniek serve`."""
from .cli import serve_command

serve_command(prog_name="kroniek serve")
