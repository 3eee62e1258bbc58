"""``python -m igbib``."""

from igbib.cli import main

if __name__ == "__main__":
    main()
