"""Build-speed benchmark: hubgen against Material's blog plugin on the same synthetic corpus."""
