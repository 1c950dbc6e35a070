"""Input the package's authors control, held to what the site may carry: files read
only inside the package, HTML only through one allow-list, parsers kept bounded."""
