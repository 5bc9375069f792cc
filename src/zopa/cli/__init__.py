"""The ``zopa`` command-line interface (parses, calls, prints; computes nothing itself)."""
