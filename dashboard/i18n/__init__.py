"""Languages and time zones: who reads which language, and the JavaScript catalogue."""
