"""`python -m pygk …`: the same command as `pygk …` (the clerk's kit runs it this way)."""

from pygk.cli import run_main

if __name__ == "__main__":
    run_main()
