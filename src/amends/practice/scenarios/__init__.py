"""The practice scenarios, one JSON file each (read by practice.library). A package so they ship with the
app (the package data takes every *.json)."""
