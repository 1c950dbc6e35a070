"""The words of the gate and the site in the package's language (ja or en): gate
messages through the message catalog, and the labels of needs, pages and sheets."""
