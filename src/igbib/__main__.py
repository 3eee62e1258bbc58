"""``python -m igbib``."""

from igbib._launch import main

if __name__ == "__main__":
    main()
