"""Account plans."""
