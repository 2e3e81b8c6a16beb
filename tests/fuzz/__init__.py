"""Shared machinery of the hostile-input and fuzz suites (issue 6).

`runner`: run the real console script in an isolated, memory- and time-limited child
process (forked from a warm "zygote", so each case costs milliseconds, not an
interpreter start). `strategies`: hypothesis strategies for gd programs.
"""
