"""thermo: liquid-cooled AI data centres and waste-heat reuse."""

__version__ = "0.1.0"
