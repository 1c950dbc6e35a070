"""The HTML site around the pages: theme strings, navigation, layout on phones,
Japanese search, static assets and the evidence artifacts published with it."""
